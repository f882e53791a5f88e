;; Linear memory: the bounds check (zext(index) + offset + size > length traps heap_oob), the access with its
;; offset folded into the load/store, an offset too large for the immediate, memory.size and memory.grow.
;; With trapFuel=annotate the bounds check stays a trapnz that carries its pending fuel (`fuel=N`).
;; run: fuel=off
;; run: fuel=variable
;; run: fuel=memory trapFuel=annotate
(module
  (memory 1 4)
  (func (export "copy") (param $src i32) (param $dst i32)
    (i64.store offset=8 (local.get $dst) (i64.load offset=16 (local.get $src))))
  (func (export "far") (param $p i32) (result i32)
    (i32.load8_u offset=0xfffffff0 (local.get $p)))
  (func (export "grow") (param $d i32) (result i32)
    (drop (memory.grow (local.get $d)))
    (memory.size)))

;; A counting loop: sum of 0..n-1. Fuel: the entry check, the flush before the loop, one flush per iteration
;; (br_if counts on both paths), the loop check (variable: in the header; memory: on the back edge, right after
;; the flush it tests) and the flush before the return.
;; run: fuel=off
;; run: fuel=variable
;; run: fuel=memory
(module
  (func (export "sum") (param $n i32) (result i32) (local $i i32) (local $s i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $s (i32.add (local.get $s) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $s)))

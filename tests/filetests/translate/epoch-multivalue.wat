;; Epoch checks (function entry and loop header) together with fuel, and multi-value blocks, loops and returns.
;; run: fuel=off epoch
;; run: fuel=variable epoch
(module
  (func (export "swap-loop") (param $a i32) (param $b i32) (param $n i32) (result i32 i32)
    (local.get $a) (local.get $b)
    (loop $l (param i32 i32) (result i32 i32)
      (local.set $a) (local.set $b)
      (local.get $a) (local.get $b)
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))

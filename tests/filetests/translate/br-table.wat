;; br_table to three blocks and a loop, with a value carried to the targets.
;; run: fuel=off
;; run: fuel=variable
;; run: fuel=memory
(module
  (func (export "classify") (param $x i32) (result i32)
    (block $c (result i32)
      (block $b (result i32)
        (block $a (result i32)
          (i32.const 100)
          (local.get $x)
          (br_table $a $b $c $a))
        (i32.add (i32.const 1))
        (return))
      (i32.add (i32.const 2))
      (return))
    (i32.add (i32.const 3)))
  (func (export "spin") (param $x i32)
    (loop $l
      (block $out
        (br_table $l $out (local.tee $x (i32.sub (local.get $x) (i32.const 1))))))))

;; Globals (defined inline in the VMContext, imported behind a pointer; immutable ones are readonly), table.get /
;; table.set / table.size inline, table.grow through a builtin, ref.func, ref.is_null, and dead code after br.
;; run: fuel=off
(module
  (import "env" "g" (global $imported (mut i32)))
  (global $counter (mut i64) (i64.const 0))
  (global $k f32 (f32.const 1.5))
  (table $t 2 externref)
  (func $f (export "f") (param $i i32) (param $r externref) (result i32)
    (global.set $counter (i64.add (global.get $counter) (i64.const 1)))
    (global.set $imported (i32.trunc_sat_f32_s (global.get $k)))
    (table.set $t (local.get $i) (local.get $r))
    (drop (table.grow $t (ref.null extern) (i32.const 1)))
    (drop (ref.is_null (ref.func $f)))
    (block $b
      (br $b)
      (drop (i32.const 99)))
    (i32.add (table.size $t) (ref.is_null (table.get $t (local.get $i))))))

;; call_indirect: table bounds (table_oob), null element (indirect_null), signature id (bad_sig), then the call
;; through the VMFuncRef. Also a call to an imported function (code and vmctx from its VMFunctionImport).
;; run: fuel=off
;; run: fuel=variable
(module
  (import "env" "log" (func $log (param i32)))
  (type $binop (func (param i32 i32) (result i32)))
  (table 4 funcref)
  (elem (i32.const 0) $add)
  (func $add (type $binop) (i32.add (local.get 0) (local.get 1)))
  (func (export "apply") (param $f i32) (param $a i32) (param $b i32) (result i32)
    (call $log (local.get $f))
    (call_indirect (type $binop) (local.get $a) (local.get $b) (local.get $f))))

;; Trapping division. Without fuel the IR opcodes trap by themselves; with fuel the traps are explicit guards whose
;; cold blocks first add the fuel pending at the division (which includes the division itself).
;; A constant divisor other than 0 and -1 needs no guard. With trapFuel=annotate the trapping opcode itself carries
;; the pending fuel (`fuel=N`) for the backend's trap stub, and no block is split.
;; run: fuel=off
;; run: fuel=memory
;; run: fuel=memory trapFuel=annotate
(module
  (func (export "div") (param $a i32) (param $b i32) (result i32)
    (i32.div_s (local.get $a) (local.get $b)))
  (func (export "rem") (param $a i64) (param $b i64) (result i64)
    (i64.rem_u (local.get $a) (local.get $b)))
  (func (export "div7") (param $a i32) (result i32)
    (i32.div_s (local.get $a) (i32.const 7)))
  (func (export "trunc") (param $x f64) (result i32)
    (i32.trunc_f64_s (local.get $x))))

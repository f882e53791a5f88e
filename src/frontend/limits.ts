/**
 * Implementation limits (the spec's appendix allows them). Chosen to match V8's, so a module kindling rejects for
 * size is one Node would reject too.
 */

/** Parameters plus declared locals of one function (V8: kV8MaxWasmFunctionLocals). */
export const MAX_FUNCTION_LOCALS = 50_000;

/** Pages of a 32-bit linear memory (a spec rule, not an implementation choice: 65536 × 64 KiB = 4 GiB). */
export const MAX_MEMORY_PAGES = 65_536;

/** Parameters of a function type (V8: kV8MaxWasmFunctionParams). */
export const MAX_FUNCTION_PARAMS = 1_000;

/** Results of a function type (V8: kV8MaxWasmFunctionReturns). */
export const MAX_FUNCTION_RESULTS = 1_000;

/** Bytes of one function body (V8: kV8MaxWasmFunctionSize). */
export const MAX_FUNCTION_BODY_SIZE = 7_654_321;

/**
 * Operand stack height while validating one function (kindling's own bound: with multi-value calls a few bytes can
 * push many values, so the stack's growth must be capped explicitly).
 */
export const MAX_OPERAND_STACK_HEIGHT = 1 << 22;

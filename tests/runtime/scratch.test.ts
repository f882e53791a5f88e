import { it, expect } from 'vitest';
import { WebAssembly as K, Engine, Store } from '../../src/index.js';
import { wat } from './wat.js';

it('robust', async () => {
  const bytes = await wat(`(module
    (import "env" "cb" (func $cb (param i32) (result i32)))
    (import "env" "thrower" (func $thrower))
    (func $rec (export "rec") (param i32) (result i32) (i32.add (call $rec (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
    (func (export "spin") (loop $l (br $l)))
    (func (export "callThrower") (call $thrower))
    (func (export "nested") (param i32) (result i32) (call $cb (local.get 0)))
    (func (export "div") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
  )`);
  const err = new Error('boom');
  let inner: any;
  const { instance } = await K.instantiate(bytes, { env: { cb: (x: number) => inner.exports.div(x), thrower: () => { throw err; } } });
  inner = instance;
  const e = instance.exports as any;
  let t0 = performance.now();
  try { e.rec(0); } catch (x) { console.log('rec', (x as Error).message, (x as Error).stack!.split('\n').slice(0, 4).join('|'), performance.now() - t0); }
  try { e.callThrower(); } catch (x) { expect(x).toBe(err); }
  try { e.nested(0); } catch (x) { console.log('nested', (x as Error).stack!.split('\n').slice(0, 5).join('|')); }
  expect(e.nested(1)).toBe(1);
  const engine = new Engine({ consumeFuel: true });
  const store = new Store(engine);
  const m = new K.Module(bytes, { engine });
  const i2 = new K.Instance(m, { env: { cb: () => 0, thrower: () => {} } }, { store });
  store.setFuel(100000);
  t0 = performance.now();
  try { (i2.exports as any).spin(); } catch (x) { console.log('spin', (x as Error).message, store.fuelConsumed(), performance.now() - t0); }
  store.setFuel(1000);
  try { (i2.exports as any).rec(0); } catch (x) { console.log('rec fuel', (x as Error).message, store.fuelConsumed()); }
});

/**
 * A stateless 32-bit integer hash (lowbias32), for index-addressed deterministic data.
 *
 * @internal
 */

/** @internal */
export const hash32 = (n: number): number => {
  let x = n >>> 0
  x ^= x >>> 16
  x = Math.imul(x, 0x7feb352d)
  x ^= x >>> 15
  x = Math.imul(x, 0x846ca68b)
  x ^= x >>> 16
  return x >>> 0
}

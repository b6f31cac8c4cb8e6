//! The one simd128 operation the two wasm builds differ in (scripts/build-wasm.sh):
//! `a b + c` on four f32 lanes, a fused multiply-add (`f32x4.relaxed_madd`) where the
//! build has relaxed SIMD, a multiply and an add where it has simd128 alone. The hot
//! products' hand-written wasm loops ([`super::matmul`], `sparse::combine_rows`) use it.

use core::arch::wasm32::*;

/// `a b + c` lane by lane, fused (relaxed SIMD: the engine may also round twice).
#[cfg(target_feature = "relaxed-simd")]
#[inline(always)]
pub(crate) fn multiply_add(a: v128, b: v128, c: v128) -> v128 {
    f32x4_relaxed_madd(a, b, c)
}

/// `a b + c` lane by lane: a multiply and an add.
#[cfg(not(target_feature = "relaxed-simd"))]
#[inline(always)]
pub(crate) fn multiply_add(a: v128, b: v128, c: v128) -> v128 {
    f32x4_add(f32x4_mul(a, b), c)
}

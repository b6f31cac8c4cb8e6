//! Compressed sparse row (CSR) matrices: the training rating matrix X = R (users x
//! items) and Y = R^T that the encoders read (paper sec. 4.1), and the sparse x dense
//! products their first layer needs (forward `X W`, weight gradient `X^T G`).

use ndarray::{Array2, ArrayView2};

use crate::data::Ratings;

/// A sparse `n_rows x n_cols` matrix in CSR form; column indices are sorted per row.
#[derive(Clone, Debug, PartialEq)]
pub struct Csr {
    n_rows: usize,
    n_cols: usize,
    indptr: Vec<usize>,
    indices: Vec<u32>,
    values: Vec<f32>,
}

impl Csr {
    /// Builds a matrix from `(row, col, value)` triplets; entries given twice add up.
    ///
    /// Panics if an index is out of range (callers pass dense ids).
    pub fn from_triplets(
        n_rows: usize,
        n_cols: usize,
        triplets: impl IntoIterator<Item = (usize, usize, f32)>,
    ) -> Self {
        let mut entries: Vec<(usize, usize, f32)> = triplets.into_iter().collect();
        entries.sort_by_key(|&(row, col, _)| (row, col));
        let mut indptr = vec![0usize; n_rows + 1];
        let mut indices = Vec::with_capacity(entries.len());
        let mut values: Vec<f32> = Vec::with_capacity(entries.len());
        let mut last: Option<(usize, usize)> = None;
        for (row, col, value) in entries {
            assert!(
                row < n_rows && col < n_cols,
                "entry ({row}, {col}) out of range"
            );
            if last == Some((row, col)) {
                *values.last_mut().expect("a previous entry") += value;
                continue;
            }
            last = Some((row, col));
            indptr[row + 1] += 1;
            indices.push(col as u32);
            values.push(value);
        }
        for row in 0..n_rows {
            indptr[row + 1] += indptr[row];
        }
        Csr {
            n_rows,
            n_cols,
            indptr,
            indices,
            values,
        }
    }

    /// The rating matrix R (users x items) of `ratings`.
    pub fn ratings(ratings: &Ratings) -> Self {
        Self::from_triplets(
            ratings.n_users,
            ratings.n_items,
            ratings
                .interactions
                .iter()
                .map(|x| (x.user as usize, x.item as usize, x.rating)),
        )
    }

    pub fn n_rows(&self) -> usize {
        self.n_rows
    }

    pub fn n_cols(&self) -> usize {
        self.n_cols
    }

    /// Number of stored entries.
    pub fn nnz(&self) -> usize {
        self.values.len()
    }

    /// Column indices and values of row `i`.
    pub fn row(&self, i: usize) -> (&[u32], &[f32]) {
        let range = self.indptr[i]..self.indptr[i + 1];
        (&self.indices[range.clone()], &self.values[range])
    }

    /// The transpose (e.g. Y = R^T from X = R).
    pub fn transpose(&self) -> Self {
        Self::from_triplets(
            self.n_cols,
            self.n_rows,
            (0..self.n_rows).flat_map(|i| {
                let (cols, vals) = self.row(i);
                cols.iter()
                    .zip(vals)
                    .map(move |(&j, &v)| (j as usize, i, v))
            }),
        )
    }

    /// The same pattern with every value mapped (e.g. `S = [R > 3]`).
    pub fn map(&self, f: impl Fn(f32) -> f32) -> Self {
        Csr {
            values: self.values.iter().map(|&v| f(v)).collect(),
            ..self.clone()
        }
    }

    /// The submatrix of the given rows, in that order (a mini-batch).
    pub fn select_rows(&self, rows: &[usize]) -> Self {
        let mut indptr = Vec::with_capacity(rows.len() + 1);
        indptr.push(0);
        let nnz = rows
            .iter()
            .map(|&i| self.indptr[i + 1] - self.indptr[i])
            .sum();
        let mut indices = Vec::with_capacity(nnz);
        let mut values = Vec::with_capacity(nnz);
        for &i in rows {
            let (cols, vals) = self.row(i);
            indices.extend_from_slice(cols);
            values.extend_from_slice(vals);
            indptr.push(indices.len());
        }
        Csr {
            n_rows: rows.len(),
            n_cols: self.n_cols,
            indptr,
            indices,
            values,
        }
    }

    /// The dense copy, zeros where nothing is stored.
    pub fn to_dense(&self) -> Array2<f32> {
        let mut out = Array2::zeros((self.n_rows, self.n_cols));
        for i in 0..self.n_rows {
            let (cols, vals) = self.row(i);
            for (&j, &v) in cols.iter().zip(vals) {
                out[[i, j as usize]] += v;
            }
        }
        out
    }

    /// `self * w` for a dense `w` (n_cols x k): the first layer of an encoder.
    ///
    /// The rows of `w` are gathered a chunk of [`GATHER_BYTES`] at a time (all output
    /// rows take their entries in that chunk before the next), so that the rows
    /// gathered stay in the core's L2 cache instead of coming from L3 (an encoder's
    /// weight is 3,615 x 128 floats, 1.85 MB); each output row still adds its entries
    /// in column order, so the result is the same to the bit.
    pub fn dot(&self, w: ArrayView2<f32>) -> Array2<f32> {
        assert_eq!(w.nrows(), self.n_cols, "inner dimensions differ");
        let k = w.ncols();
        let w = w.as_standard_layout();
        let w = w.as_slice().expect("standard layout");
        let mut out = Array2::<f32>::zeros((self.n_rows, k));
        let out_slice = out.as_slice_mut().expect("fresh array");
        let chunk = (GATHER_BYTES / (4 * k.max(1))).max(1);
        // Per row, its first entry not yet added.
        let mut next = self.indptr[..self.n_rows].to_vec();
        for end in (0..self.n_cols).step_by(chunk).map(|start| start + chunk) {
            for (i, out_row) in out_slice.chunks_exact_mut(k.max(1)).enumerate() {
                let (start, stop) = (next[i], self.indptr[i + 1]);
                let mut stop_in_chunk = start;
                while stop_in_chunk < stop && (self.indices[stop_in_chunk] as usize) < end {
                    stop_in_chunk += 1;
                }
                let range = start..stop_in_chunk;
                if !range.is_empty() {
                    combine_rows(
                        &self.indices[range.clone()],
                        &self.values[range],
                        w,
                        out_row,
                    );
                }
                next[i] = stop_in_chunk;
            }
        }
        out
    }

    /// `self^T * g` for a dense `g` (n_rows x k): the weight gradient of that layer.
    /// Each output row is a sum over one column of `self` (rows ascending, as a
    /// row-by-row scatter would add them), gathered in registers.
    pub fn t_dot(&self, g: ArrayView2<f32>) -> Array2<f32> {
        assert_eq!(g.nrows(), self.n_rows, "inner dimensions differ");
        let k = g.ncols();
        let g = g.as_standard_layout();
        let g = g.as_slice().expect("standard layout");
        // The column-major pattern of `self` (a stable counting sort by column).
        let mut colptr = vec![0usize; self.n_cols + 1];
        for &j in &self.indices {
            colptr[j as usize + 1] += 1;
        }
        for j in 0..self.n_cols {
            colptr[j + 1] += colptr[j];
        }
        let mut next = colptr.clone();
        let mut rows = vec![0u32; self.nnz()];
        let mut vals = vec![0.0f32; self.nnz()];
        for i in 0..self.n_rows {
            let (cols, v) = self.row(i);
            for (&j, &v) in cols.iter().zip(v) {
                let at = &mut next[j as usize];
                rows[*at] = i as u32;
                vals[*at] = v;
                *at += 1;
            }
        }
        let mut out = Array2::<f32>::zeros((self.n_cols, k));
        let out_slice = out.as_slice_mut().expect("fresh array");
        for (j, out_row) in out_slice.chunks_exact_mut(k.max(1)).enumerate() {
            let range = colptr[j]..colptr[j + 1];
            if !range.is_empty() {
                combine_rows(&rows[range.clone()], &vals[range], g, out_row);
            }
        }
        out
    }
}

/// Block width of [`combine_rows`]: 32 floats, eight simd128 registers.
const BLOCK: usize = 32;

/// Bytes of the dense matrix [`Csr::dot`] gathers rows from at a time: half of the
/// 512 KB L2 cache of the machines measured (BENCHMARKS.md, fifth pass).
const GATHER_BYTES: usize = 256 * 1024;

/// `out += sum_t vals[t] * m[idx[t], ..]` (`m` row-major with `out.len()` columns),
/// added to `out` in the order of `idx`. The output is done in blocks of [`BLOCK`]
/// columns held in registers across all the rows, so `out` is read and written once.
fn combine_rows(idx: &[u32], vals: &[f32], m: &[f32], out: &mut [f32]) {
    let k = out.len();
    let mut start = 0;
    while start + BLOCK <= k {
        let block: &mut [f32; BLOCK] = (&mut out[start..start + BLOCK]).try_into().expect("block");
        combine_block(
            idx,
            vals,
            |j| {
                m[j as usize * k + start..][..BLOCK]
                    .try_into()
                    .expect("block")
            },
            block,
        );
        start += BLOCK;
    }
    if start < k {
        let out = &mut out[start..];
        for (&j, &v) in idx.iter().zip(vals) {
            let row = &m[j as usize * k + start..(j as usize + 1) * k];
            out.iter_mut().zip(row).for_each(|(o, &x)| *o += v * x);
        }
    }
}

/// `out += sum_t vals[t] * row(idx[t])` on one block, in registers.
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
fn combine_block<'m>(
    idx: &[u32],
    vals: &[f32],
    row: impl Fn(u32) -> &'m [f32; BLOCK],
    out: &mut [f32; BLOCK],
) {
    let mut acc = *out;
    for (&j, &v) in idx.iter().zip(vals) {
        for (a, &x) in acc.iter_mut().zip(row(j)) {
            *a += v * x;
        }
    }
    *out = acc;
}

/// simd128 [`combine_block`]: eight `f32x4` accumulators, each step a multiply-add
/// (fused in the relaxed-SIMD build).
#[cfg(target_arch = "wasm32")]
#[inline(always)]
fn combine_block<'m>(
    idx: &[u32],
    vals: &[f32],
    row: impl Fn(u32) -> &'m [f32; BLOCK],
    out: &mut [f32; BLOCK],
) {
    use crate::nn::simd::multiply_add;
    use core::arch::wasm32::*;
    const VECTORS: usize = BLOCK / 4;
    // SAFETY (all loads and stores): each is 4 floats at 4 * i, i < VECTORS, of an
    // array of BLOCK = 4 * VECTORS floats.
    let load = |block: &[f32; BLOCK], i: usize| unsafe {
        v128_load(block.as_ptr().add(4 * i) as *const v128)
    };
    let mut acc: [v128; VECTORS] = std::array::from_fn(|i| load(out, i));
    for (&j, &v) in idx.iter().zip(vals) {
        let (row, v) = (row(j), f32x4_splat(v));
        for (i, acc) in acc.iter_mut().enumerate() {
            *acc = multiply_add(v, load(row, i), *acc);
        }
    }
    for (i, acc) in acc.into_iter().enumerate() {
        unsafe { v128_store(out.as_mut_ptr().add(4 * i) as *mut v128, acc) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn example() -> Csr {
        Csr::from_triplets(
            3,
            4,
            [
                (0, 1, 2.0),
                (2, 3, 1.0),
                (0, 0, 1.0),
                (2, 0, 5.0),
                (2, 3, 1.0),
            ],
        )
    }

    #[test]
    fn builds_sorted_rows_and_adds_duplicates() {
        let x = example();
        assert_eq!(x.nnz(), 4);
        assert_eq!(x.row(0), (&[0u32, 1][..], &[1.0f32, 2.0][..]));
        assert_eq!(x.row(1).0.len(), 0);
        assert_eq!(x.row(2), (&[0u32, 3][..], &[5.0f32, 2.0][..]));
    }

    #[test]
    fn products_match_dense() {
        let x = example();
        let d = x.to_dense();
        let w = array![[1.0f32, -1.0], [0.5, 2.0], [3.0, 0.0], [-2.0, 1.0]];
        assert_eq!(x.dot(w.view()), d.dot(&w));
        let g = array![[1.0f32, 2.0], [3.0, 4.0], [-1.0, 0.5]];
        assert_eq!(x.t_dot(g.view()), d.t().dot(&g));
        assert_eq!(x.transpose().to_dense(), d.t());
        assert_eq!(x.select_rows(&[2, 0]).to_dense().row(0), d.row(2));
        assert_eq!(x.map(|v| v * 2.0).to_dense(), &d * 2.0);
    }

    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

    /// Bit for bit, except in the relaxed-SIMD wasm build, whose fused multiply-adds
    /// round once per step instead of twice.
    fn assert_same_sums(actual: &Array2<f32>, expected: &Array2<f32>) {
        if cfg!(all(target_arch = "wasm32", target_feature = "relaxed-simd")) {
            assert_eq!(actual.dim(), expected.dim());
            for (a, b) in actual.iter().zip(expected) {
                assert!((a - b).abs() <= 1e-5 * (1.0 + b.abs()), "{a} vs {b}");
            }
        } else {
            assert_eq!(actual, expected);
        }
    }

    /// Wide products (several register blocks plus a remainder, several gather chunks)
    /// against the dense formula, bit for bit (same order of additions as a row-by-row
    /// loop); natively and in wasm (`combine_block`'s simd128 loop).
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn wide_products_match_dense() {
        let (n, m, k) = (37, 53, 75);
        let x = Csr::from_triplets(
            n,
            m,
            (0..n).flat_map(|i| {
                (0..m)
                    .filter(move |j| (i * 7 + j * 3) % 5 == 0)
                    .map(move |j| (i, j, ((i + 2 * j) % 9) as f32 - 3.5))
            }),
        );
        let d = x.to_dense();
        let w = Array2::from_shape_fn((m, k), |(a, b)| ((a * 13 + b * 7) % 17) as f32 * 0.25 - 2.0);
        let g = Array2::from_shape_fn((n, k), |(a, b)| ((a * 5 + b * 11) % 19) as f32 * 0.5 - 4.0);
        let naive = |a: &Array2<f32>, b: &Array2<f32>| {
            Array2::from_shape_fn((a.nrows(), b.ncols()), |(i, c)| {
                (0..a.ncols()).fold(0.0f32, |s, t| s + a[[i, t]] * b[[t, c]])
            })
        };
        assert_same_sums(&x.dot(w.view()), &naive(&d, &w));
        assert_same_sums(&x.t_dot(g.view()), &naive(&d.t().to_owned(), &g));

        // Rows of w in several gather chunks (128 floats a row: 512 rows a chunk), with
        // rows that have entries in some chunks only: still bit for bit.
        let (n, m, k) = (23, 2100, 128);
        assert!(m > 3 * GATHER_BYTES / (4 * k));
        let x = Csr::from_triplets(
            n,
            m,
            (0..n).flat_map(|i| {
                (0..m)
                    .filter(move |j| (i * 31 + j * 17) % 23 == 0 && (i % 4 != 1 || *j < 600))
                    .map(move |j| (i, j, ((i + j) % 7) as f32 * 0.3 - 1.0))
            }),
        );
        assert!(x.nnz() > 1500);
        let w = Array2::from_shape_fn((m, k), |(a, b)| ((a * 3 + b * 5) % 29) as f32 * 0.1 - 1.4);
        assert_same_sums(&x.dot(w.view()), &naive(&x.to_dense(), &w));
    }
}

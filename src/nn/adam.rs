//! The Adam optimiser (Kingma & Ba 2015) with optional L2 weight decay added to the
//! gradient (as in PyTorch's `Adam(weight_decay=..)`).

use ndarray::{Array, Dimension, ShapeBuilder, Zip};

/// Hyper-parameters of Adam and the step counter shared by all parameters of a model.
#[derive(Clone, Debug, PartialEq)]
pub struct Adam {
    pub learning_rate: f32,
    pub beta1: f32,
    pub beta2: f32,
    pub epsilon: f32,
    pub weight_decay: f32,
    t: i32,
}

/// First and second moment estimates of one parameter array.
#[derive(Clone, Debug, PartialEq)]
pub struct Moments<D: Dimension> {
    m: Array<f32, D>,
    v: Array<f32, D>,
}

impl<D: Dimension> Moments<D> {
    pub fn zeros(shape: D) -> Self {
        Moments {
            m: Array::zeros(shape.clone()),
            v: Array::zeros(shape),
        }
    }

    /// Zero moments in the memory order of `param` (row- or column-major), so that
    /// [`Adam::update`] runs one flat loop over them.
    pub fn zeros_like(param: &Array<f32, D>) -> Self {
        let shape = param.raw_dim().set_f(!param.is_standard_layout());
        Moments {
            m: Array::zeros(shape.clone()),
            v: Array::zeros(shape),
        }
    }
}

impl Adam {
    /// Adam with the usual betas (0.9, 0.999) and epsilon 1e-8.
    pub fn new(learning_rate: f32, weight_decay: f32) -> Self {
        Adam {
            learning_rate,
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-8,
            weight_decay,
            t: 0,
        }
    }

    /// Starts a new step: call once before updating the parameters of one step.
    pub fn tick(&mut self) {
        self.t += 1;
    }

    /// Updates `param` by `grad` with bias-corrected moments.
    pub fn update<D: Dimension>(
        &self,
        param: &mut Array<f32, D>,
        grad: &Array<f32, D>,
        moments: &mut Moments<D>,
    ) {
        let (b1, b2, wd) = (self.beta1, self.beta2, self.weight_decay);
        let step = self.learning_rate * (1.0 - b2.powi(self.t)).sqrt() / (1.0 - b1.powi(self.t));
        let eps = self.epsilon;
        let one = |p: &mut f32, g: f32, m: &mut f32, v: &mut f32| {
            let g = g + wd * *p;
            *m = b1 * *m + (1.0 - b1) * g;
            *v = b2 * *v + (1.0 - b2) * g * g;
            *p -= step * *m / (v.sqrt() + eps);
        };
        // One flat loop over memory when all four are contiguous in the same order
        // (vectorises); else Zip.
        assert_eq!(param.shape(), grad.shape(), "gradient shape");
        let same_order = [grad.strides(), moments.m.strides(), moments.v.strides()]
            .iter()
            .all(|s| *s == param.strides());
        if let (true, Some(p), Some(g), Some(m), Some(v)) = (
            same_order,
            param.as_slice_memory_order_mut(),
            grad.as_slice_memory_order(),
            moments.m.as_slice_memory_order_mut(),
            moments.v.as_slice_memory_order_mut(),
        ) {
            for (((p, &g), m), v) in p.iter_mut().zip(g).zip(m.iter_mut()).zip(v.iter_mut()) {
                one(p, g, m, v);
            }
            return;
        }
        Zip::from(param)
            .and(grad)
            .and(&mut moments.m)
            .and(&mut moments.v)
            .for_each(|p, &g, m, v| one(p, g, m, v));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn minimises_a_quadratic() {
        let mut adam = Adam::new(0.1, 0.0);
        let mut x = array![3.0f32, -2.0];
        let mut moments = Moments::zeros(x.raw_dim());
        for _ in 0..500 {
            adam.tick();
            let grad = &x * 2.0;
            adam.update(&mut x, &grad, &mut moments);
        }
        assert!(x.iter().all(|v| v.abs() < 1e-2), "{x}");
    }

    /// Column-major parameters (the decoder's output layer) take the same steps as
    /// row-major ones, with the gradient in either order.
    #[test]
    fn memory_order_does_not_change_the_steps() {
        let start = ndarray::Array2::from_shape_fn((3, 5), |(i, j)| (i * 5 + j) as f32 - 6.0);
        let run = |column_major: bool, grad_column_major: bool| {
            let mut x = if column_major {
                start.t().as_standard_layout().into_owned().reversed_axes()
            } else {
                start.clone()
            };
            let mut moments = Moments::zeros_like(&x);
            let mut adam = Adam::new(0.05, 0.01);
            for step in 0..20 {
                adam.tick();
                let grad = x.mapv(|v| 2.0 * v + step as f32 * 0.1);
                let grad = match grad_column_major {
                    true => grad.t().as_standard_layout().into_owned().reversed_axes(),
                    false => grad.as_standard_layout().into_owned(),
                };
                adam.update(&mut x, &grad, &mut moments);
            }
            assert_eq!(x.is_standard_layout(), !column_major);
            x
        };
        let expected = run(false, false);
        assert_eq!(run(true, true), expected);
        assert_eq!(run(true, false), expected);
        assert_eq!(run(false, true), expected);
        assert_ne!(expected, start);
    }
}

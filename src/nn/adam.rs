//! The Adam optimiser (Kingma & Ba 2015) with optional L2 weight decay added to the
//! gradient (as in PyTorch's `Adam(weight_decay=..)`).

use ndarray::{Array, Dimension, Zip};

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
        // One flat loop when all four are in standard layout (vectorises); else Zip.
        assert_eq!(param.shape(), grad.shape(), "gradient shape");
        if let (Some(p), Some(g), Some(m), Some(v)) = (
            param.as_slice_mut(),
            grad.as_slice(),
            moments.m.as_slice_mut(),
            moments.v.as_slice_mut(),
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
}

// The page's state in its URL (query string), TensorFlow-Playground style: every field
// of the training form, the data source when it is the built-in synthetic set, the
// Figure 2 toy's features and alpha, and the explored user. Changes are written with
// history.replaceState; opening the URL restores them. A value that does not fit its
// control is ignored and reported (never applied), so a hand-edited URL cannot break
// the page.

/** The training form's fields, in URL order. */
export const FORM_FIELDS = [
  'model', 'bits', 'binarization', 'epochs', 'seed', 'learning_rate',
  'lambda_ae', 'lambda_b', 'lambda_q', 'unrated_weight', 'logit_scale', 'patience',
];

/** Whether `text` is a value `control` (a select or a number input) accepts; else why not. */
export function checkValue(control, text) {
  if (control.tagName === 'SELECT') {
    const values = [...control.options].map((o) => o.value);
    return values.includes(text) ? null : `expected one of ${values.join(', ')}`;
  }
  if (control.type === 'number') {
    if (text === '') return control.required ? 'a value is required' : null;
    if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) return 'not a number';
    const x = Number(text);
    if (!Number.isFinite(x)) return 'not a finite number';
    if (control.min !== '' && x < Number(control.min)) return `below the minimum ${control.min}`;
    if (control.max !== '' && x > Number(control.max)) return `above the maximum ${control.max}`;
    if (control.step !== 'any' && !Number.isInteger(x)) return 'not a whole number';
    return null;
  }
  return text.length > 200 ? 'too long' : null;
}

/** Toy features as "a1,a2;b1,b2;c1,c2" <-> { a, b, c } (finite numbers, equal lengths). */
export function parseToy(text) {
  const parts = text.split(';');
  if (parts.length !== 3) return { error: 'expected three points a;b;c' };
  const [a, b, c] = parts.map((p) => p.split(',').map((x) => (x.trim() === '' ? NaN : Number(x))));
  if (![a, b, c].every((v) => v.length === 2 && v.every(Number.isFinite))) {
    return { error: 'expected two finite numbers per point' };
  }
  return { features: { a, b, c } };
}

export const formatToy = ({ a, b, c }) =>
  [a, b, c].map((v) => v.map((x) => String(Number(x.toFixed(3)))).join(',')).join(';');

export class UrlState {
  constructor(location = window.location) {
    this.params = new URLSearchParams(location.search);
    this.notes = [];
  }

  get(key) {
    return this.params.get(key);
  }

  /** Sets (or with null/'' removes) keys and rewrites the URL in place. */
  set(entries) {
    for (const [key, value] of Object.entries(entries)) {
      if (value == null || value === '') this.params.delete(key);
      else this.params.set(key, String(value));
    }
    const query = this.params.toString();
    history.replaceState(history.state, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
  }

  /** Records that the URL's `key` was ignored and why. */
  ignore(key, value, why) {
    this.notes.push(`${key}=${JSON.stringify(value)} (${why})`);
    this.params.delete(key);
  }

  /** Fills `form`'s fields from the URL; invalid values are ignored and noted. */
  restoreForm(form) {
    for (const name of FORM_FIELDS) {
      const text = this.get(name);
      if (text == null) continue;
      const control = form.elements[name];
      const problem = checkValue(control, text.trim());
      if (problem) this.ignore(name, text, problem);
      else control.value = text.trim();
    }
  }

  /** Writes every field of `form` (empty optional fields are left out). */
  saveForm(form) {
    this.set(Object.fromEntries(FORM_FIELDS.map((name) => [name, form.elements[name].value.trim()])));
  }

  /** The toy's features and alpha from the URL (each null when absent or invalid). */
  restoreToy({ minAlpha, maxAlpha }) {
    let features = null;
    let alpha = null;
    const toy = this.get('toy');
    if (toy != null) {
      const parsed = parseToy(toy);
      if (parsed.error) this.ignore('toy', toy, parsed.error);
      else features = parsed.features;
    }
    const text = this.get('alpha');
    if (text != null) {
      const x = Number(text);
      if (text.trim() === '' || !Number.isFinite(x) || x < minAlpha || x > maxAlpha) {
        this.ignore('alpha', text, `expected a number from ${minAlpha} to ${maxAlpha}`);
      } else alpha = x;
    }
    return { features, alpha };
  }

  /** The explored user id from the URL, or null. */
  restoreUser() {
    const user = this.get('user');
    if (user == null) return null;
    if (!/^[\w.@:-]{1,64}$/.test(user)) {
      this.ignore('user', user, 'not a user id');
      return null;
    }
    return user;
  }

  /** The data source: 'synthetic' (the default) is the only one a URL can name. */
  restoreData() {
    const data = this.get('data');
    if (data != null && data !== 'synthetic') {
      this.ignore('data', data, 'only the built-in synthetic data set can be opened from a link; load files on the page');
    }
    return 'synthetic';
  }

  /** Shows what was ignored in `box` (hidden when nothing was). */
  showNotes(box) {
    box.hidden = this.notes.length === 0;
    box.textContent = this.notes.length
      ? `Ignored from the link: ${this.notes.join('; ')}. Defaults are used instead.`
      : '';
    if (this.notes.length) this.set({});
  }
}

// The data sets the dev server offers under data/ (scripts/serve.mjs --data DIR): the
// listing, and a data set's files fetched as File objects for the worker's loadZip /
// loadFiles requests. A page served without that listing simply offers none.

/** The served data sets ([{ name, kind, format, files }]), or [] when there are none. */
export async function listServed() {
  try {
    const response = await fetch('data/', { headers: { Accept: 'application/json' } });
    if (!response.ok) return [];
    const { datasets } = await response.json();
    return Array.isArray(datasets) ? datasets : [];
  } catch {
    return [];
  }
}

/** The button label: "ml-1m-head (folder)", "ml-100k.zip". */
export const labelOf = (dataset) => (dataset.kind === 'zip' ? dataset.name : `${dataset.name} (folder)`);

async function fetchFile(path) {
  const url = `data/${path.split('/').map(encodeURIComponent).join('/')}`;
  let response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`could not fetch ${url}: ${error.message}`);
  }
  if (!response.ok) throw new Error(`could not fetch ${url}: HTTP ${response.status}`);
  return new File([await response.blob()], path.split('/').pop());
}

/** The worker request that loads `dataset`: ['loadZip', { file }] or ['loadFiles', { files }]. */
export async function requestForServed(dataset) {
  const files = await Promise.all(dataset.files.map(fetchFile));
  return dataset.kind === 'zip' ? ['loadZip', { file: files[0] }] : ['loadFiles', { files }];
}

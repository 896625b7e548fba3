// ordertrail for Node: the JS API of ordertrail.js with the Node build of the
// module (./dist/ordertrail.node.cjs, the wasm inlined), so that nothing is
// fetched and no bundler or runtime has to guess the environment. The npm
// package's `node` condition of `ordertrail` points here.
//
//   import { load } from 'ordertrail';   // in Node: this file
//   const ot = await load();
import { createRequire } from 'node:module';
import { load as loadWith, loader as loaderWith } from './ordertrail.js';

export { isError, importOrder, ERROR_SCHEMA, MAX_DOCUMENT_BYTES } from './ordertrail.js';

const factory = createRequire(import.meta.url)('./dist/ordertrail.node.cjs');

/** load() of ordertrail.js, with the Node module unless options.factory says otherwise. */
export function load(options = {}) {
  return loadWith({ factory, ...options });
}

/** loader() of ordertrail.js, with the Node module unless options.factory says otherwise. */
export function loader(options = {}) {
  return loaderWith({ factory, ...options });
}

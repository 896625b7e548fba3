// The ordertrail core, loaded once per page and shared by every element.
// The Emscripten glue sits next to the built widget (web/dist), so it and its
// .wasm are found relative to the widget module itself.
import { load, isError } from '../ordertrail.js';
import createOrdertrail from './ordertrail.mjs';

let loading = null;

/** The loaded core (`{evaluate, quote, policies, version}`), loaded on first use. */
export function core() {
  loading ??= load({ factory: createOrdertrail }).then((ot) => {
    const policies = ot.policies();
    return Object.freeze({ ot, policies: isError(policies) ? {} : policies });
  });
  return loading;
}

export { isError };

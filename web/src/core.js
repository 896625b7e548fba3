// The ordertrail core, loaded once per page and shared by every element.
// The Emscripten glue sits next to the built widget (web/dist), so it and its
// .wasm are found relative to the widget module itself. A module that failed
// to load, or that stopped (a trap: memory exhausted by a huge input), is
// loaded again on the next use (loader() in ordertrail.js).
import { loader, isError } from '../ordertrail.js';
import createOrdertrail from './ordertrail.mjs';

const get = loader({ factory: createOrdertrail });
let shared = null;

/** The loaded core (`{ot, policies}`), loaded on first use and replaced once it has stopped. */
export async function core() {
  const ot = await get();
  if (shared?.ot !== ot) {
    const policies = ot.policies();
    shared = Object.freeze({ ot, policies: isError(policies) ? {} : policies });
  }
  return shared;
}

export { isError };

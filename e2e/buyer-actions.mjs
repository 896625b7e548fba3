// The buyer's buttons, order by order, for e2e/actions.spec.mjs: for each
// order (a hand-worked decision vector's order at its `now`) every button the
// tracker must show, and for each button that records something the command
// it stands for (with the reason to pick in its dialog). e2e/global-setup.mjs
// decides each command with the NATIVE core (native_eval) and writes the
// decisions to ACTIONS_FILE; the test clicks each button in the browser and
// checks that the widget's `ordertrail-action` carries that native event and
// decision. Nothing here is an expected output: those come from native_eval.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where e2e/global-setup.mjs writes the native decisions of SCENARIOS and STALE. */
export const ACTIONS_FILE = path.join(root, 'test-results', 'native', 'buyer-actions.json');

const buyer = (type, extra = {}) => ({ type, by: 'buyer', ...extra });
const cancel = (reason) => ({ action: 'cancel_now', reason, command: buyer('cancelled', { reason }) });
const returnItem = (reason) => ({ action: 'return_item', reason, command: buyer('return_requested', { reason, case_type: 'return_and_refund' }) });
const claimDelivered = {
  action: 'claim_refund_delivered_not_received',
  reason: 'delivered_not_received',
  command: buyer('return_requested', { reason: 'delivered_not_received', case_type: 'refund_only' }),
};
const onCase = (action, type, caseId) => ({ action, case_id: caseId, command: buyer(type, { case_id: caseId }) });

// `vector`: a file of tests/decisions or tests/vectors (its order and now);
// `buttons`: what a click records; `help`: next steps that record nothing.
export const SCENARIOS = [
  { name: 'unpaid', vector: 'decisions/001_unpaid_buyer_cancels_changed_mind.json', buttons: [cancel('need_to_change_address')], help: ['pay_now'] },
  { name: 'on hold', vector: 'decisions/005_on_hold_buyer_cancels_full_refund.json', buttons: [cancel('duplicate_order')], help: [] },
  {
    name: 'awaiting shipment',
    // After dispatch_by was missed: "not shipped on time" is offered (RULES "Actions").
    vector: 'decisions/094_dispatch_by_missed_request_not_shipped_on_time_seller_responsible.json',
    buttons: [{ action: 'request_cancellation', reason: 'not_shipped_on_time', command: buyer('cancel_requested', { reason: 'not_shipped_on_time' }) }],
    help: [],
  },
  {
    name: 'cancellation request pending',
    vector: 'decisions/018_request_pending_buyer_withdraws.json',
    buttons: [{ action: 'withdraw_cancellation_request', command: buyer('cancel_request_withdrawn') }],
    help: [],
  },
  {
    name: 'in transit past the not-received claim opening',
    vector: 'decisions/043_in_transit_not_received_claim_opens_case_r1.json',
    buttons: [{ action: 'claim_refund_not_received', reason: 'not_received', command: buyer('return_requested', { reason: 'not_received', case_type: 'refund_only' }) }],
    help: ['track_shipment'],
  },
  {
    name: 'delivered, return window open',
    vector: 'decisions/048_delivered_return_request_changed_mind_case_r1.json',
    buttons: [returnItem('wrong_item'), claimDelivered],
    help: [],
  },
  {
    name: 'a return approved, awaiting ship-back',
    vector: 'decisions/061_case_awaiting_return_buyer_ships_back_idless.json',
    buttons: [onCase('ship_return', 'return_shipped', 'R1'), onCase('withdraw_return', 'return_withdrawn', 'R1'), returnItem('not_as_described'), claimDelivered],
    help: [],
  },
  {
    name: 'a rejected return, appeal window open',
    vector: 'decisions/065_case_rejected_buyer_appeals_idless.json',
    buttons: [onCase('appeal', 'appeal_opened', 'R1'), onCase('withdraw_return', 'return_withdrawn', 'R1')],
    help: [],
  },
  {
    name: 'two cases, one requested and one awaiting ship-back',
    vector: 'vectors/343_us_ambiguous_case_applied_to_latest_unknown_case_ignored.json',
    buttons: [
      onCase('withdraw_return', 'return_withdrawn', 'R1'),
      onCase('ship_return', 'return_shipped', 'R2'),
      onCase('withdraw_return', 'return_withdrawn', 'R2'),
      returnItem('changed_mind'),
      claimDelivered,
    ],
    help: [],
  },
];

// A stale widget: the on-hold order drawn inside the free cancellation, and
// the buyer's cancel confirmed after the host moved `now` past it.
export const STALE = {
  vector: 'decisions/005_on_hold_buyer_cancels_full_refund.json',
  later: '2025-04-08T18:00:00Z',
  reason: 'changed_mind',
  command: buyer('cancelled', { reason: 'changed_mind' }),
};

/** The order and now of a scenario's vector, as JSON text and string. */
export function vectorInput(vector) {
  const v = JSON.parse(fs.readFileSync(path.join(root, 'tests', vector), 'utf8'));
  return { order: JSON.stringify(v.order), now: v.now };
}

// The message tables (web/src/messages.js): both languages have every text,
// and every code of SPEC/RULES that a buyer can meet has one.
import { test, expect } from '@playwright/test';
import { MESSAGES, translator } from '../web/src/messages.js';

// Every reason code of the default catalogues (RULES "Reasons catalogue" and
// the case reasons of "After-sales cases"): the reason dialog lists whichever
// the core's `actions` give the buyer.
const CANCEL_REASONS = [
  'changed_mind', 'wrong_item_selected', 'duplicate_order', 'better_price_elsewhere', 'need_to_change_address', 'forgot_coupon', 'payment_timeout',
  'buyer_request_approved', 'out_of_stock', 'pricing_error', 'cannot_ship_to_address', 'buyer_requested_off_platform', 'not_shipped_on_time',
  'seller_late_ship', 'seller_late_delivery', 'payment_failed', 'account_issue', 'risk_control', 'address_undeliverable', 'delivery_restricted',
  'lost_in_transit', 'package_damaged', 'delivery_failed', 'returned_to_shipper_refused',
];
const CASE_REASONS = ['changed_mind', 'wrong_item_selected', 'not_received', 'delivered_not_received', 'package_damaged', 'defective', 'wrong_item', 'missing_item', 'not_as_described'];

const CODES = {
  status: ['UNPAID', 'ON_HOLD', 'AWAITING_SHIPMENT', 'AWAITING_COLLECTION', 'IN_TRANSIT', 'DELIVERED', 'COMPLETED', 'CANCELLED'],
  reason: [
    'changed_mind', 'wrong_item_selected', 'duplicate_order', 'better_price_elsewhere', 'payment_timeout', 'buyer_request_approved',
    'out_of_stock', 'pricing_error', 'cannot_ship_to_address', 'seller_late_ship', 'seller_late_delivery', 'buyer_requested_off_platform',
    'payment_failed', 'account_issue', 'risk_control', 'address_undeliverable', 'delivery_restricted', 'lost_in_transit',
    'need_to_change_address', 'forgot_coupon', 'not_shipped_on_time', 'package_damaged', 'delivery_failed', 'returned_to_shipper_refused', 'unlisted',
  ],
  responsibility: ['buyer', 'seller', 'platform', 'carrier', 'none'],
  // What a buyer is told of each obligation still pending (RULES "Obligations");
  // a case's clocks are said by its stage (`case`).
  obligation: ['payment', 'dispatch_by', 'ship_by', 'cancel_request_response', 'delivery'].map((id) => `${id}.pending`),
  // The buyer's windows in the states said (RULES "Windows"); `cancel_request` ends with an event.
  window: [
    'free_cancellation.open', 'free_cancellation.closed',
    ...['upcoming', 'open'].flatMap((state) => ['ready_to_ship', 'shipped'].map((event) => `cancel_request.${state}.on_${event}`)),
    'not_received_claim.upcoming', 'not_received_claim.open', 'not_received_claim.closed',
    'return.open', 'return.used', 'return.closed', 'delivered_not_received_claim.open',
  ],
  // Each case status (SPEC 4.4), each way a case closes, and the stages said
  // without a date when the case has no clock to show.
  case: [
    'requested', 'requested.refund_only', 'requested.not_received', 'requested.delivered_not_received', 'approved', 'awaiting_return',
    'returned', 'received', 'rejected', 'appealed', 'refunded', 'refunded.on_its_way', 'closed',
    ...['withdrawn', 'not_shipped_back', 'rejected', 'appeal_lost', 'units_cancelled', 'delivered'].map((r) => `closed.${r}`),
    ...['requested', 'approved', 'awaiting_return', 'returned', 'received', 'rejected', 'appealed'].map((s) => `undated.${s}`),
    'kind.return_and_refund', 'kind.refund_only',
  ],
  'cancel.request': ['on_ready_to_ship', 'on_shipped'],
  'cancel.not_allowed': ['already_shipped', 'already_delivered', 'order_completed', 'already_cancelled'],
  refund: [
    'order_cancelled', 'lost_in_transit', 'seller_late_delivery', 'already_refunded', 'nothing_paid', 'not_received', 'return_in_progress',
    'return_received', 'return_rejected', 'return_window_open', 'items_not_returnable', 'order_completed', 'return_refunded',
    'return_window_closed', 'case_open', 'case_approved', 'claim_in_progress', 'on_its_way',
  ],
  'refund.kind': ['automatic', 'refund_only', 'return_and_refund', 'none'],
  choice: [...new Set([...CANCEL_REASONS, ...CASE_REASONS])],
  // Every refusal of RULES "Refusals", and the widget's own texts around them.
  refusal: [
    'unknown_line', 'unknown_package', 'no_open_case', 'no_open_request', 'party_not_allowed', 'not_allowed_in_status', 'window_closed',
    'reason_not_allowed', 'qty_exceeds', 'not_returnable', 'amount_exceeds_refundable', 'duplicate_id', 'events_after_now', 'failed', 'instead', 'until',
  ],
  // The reason dialog of each kind of buyer action.
  dialog: ['cancel', 'request', 'return', 'claim', 'other'].flatMap((kind) => ['title', 'reason', 'keep', 'confirm'].map((x) => `${kind}.${x}`)),
};
const NEXT_ACTIONS = [
  'pay_now', 'review_payment_method', 'cancel_now', 'request_cancellation', 'withdraw_cancellation_request', 'contact_seller',
  'wait_for_shipment', 'track_shipment', 'wait_for_delivery', 'verify_address', 'check_email', 'claim_refund_not_received',
  'return_item', 'reorder', 'contact_support', 'open_dispute', 'refuse_delivery', 'ship_return', 'appeal',
  // The widget's names of buyer events that no next action names.
  'withdraw_return', 'claim_refund_delivered_not_received',
];

test('English, Bahasa Indonesia and Bahasa Melayu have the same keys and no empty text', () => {
  expect(Object.keys(MESSAGES).sort()).toEqual(['en', 'id', 'ms']);
  for (const lang of ['id', 'ms']) expect(Object.keys(MESSAGES[lang]).sort(), lang).toEqual(Object.keys(MESSAGES.en).sort());
  for (const [lang, table] of Object.entries(MESSAGES)) {
    for (const [key, text] of Object.entries(table)) expect(text.trim(), `${lang} ${key}`).not.toBe('');
  }
});

test('every code a buyer can meet has a text in both languages', () => {
  for (const [lang, table] of Object.entries(MESSAGES)) {
    for (const [prefix, codes] of Object.entries(CODES)) {
      for (const code of codes) expect(table, `${lang}: ${prefix}.${code}`).toHaveProperty([`${prefix}.${code}`]);
    }
    for (const code of NEXT_ACTIONS) {
      expect(`action.${code}` in table || `info.${code}` in table, `${lang}: next action ${code}`).toBe(true);
    }
  }
});

test('placeholders are the same in both languages, and filled in', () => {
  const names = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const lang of ['id', 'ms']) for (const key of Object.keys(MESSAGES.en)) expect(names(MESSAGES[lang][key]), `${lang} ${key}`).toEqual(names(MESSAGES.en[key]));
  const t = translator('id-ID');
  expect(t('obligation.dispatch_by.pending', { at: 'Rab, 5 Mar' })).toBe('Penjual mengirim paling lambat Rab, 5 Mar');
  expect(translator('fr')('status.CANCELLED')).toBe('Cancelled');
  expect(translator('in')('status.CANCELLED')).toBe('Dibatalkan');
  // A third language is a table, nothing more: ms-MY finds it.
  expect(translator('ms-MY')('status.ON_HOLD.cod')).toBe('Disahkan — bayar semasa penghantaran');
  expect(translator('ms-MY').language).toBe('ms');
  expect(translator('en')('reason.some_future_code')).toBe('some_future_code');
});

test('a window is an option: no window text says it was missed or late, in either language', () => {
  for (const [lang, table] of Object.entries(MESSAGES)) {
    const windows = Object.entries(table).filter(([key]) => key.startsWith('window.'));
    expect(windows.length, lang).toBeGreaterThan(10);
    for (const [key, text] of windows) expect(text, `${lang} ${key}`).not.toMatch(/\bmiss(ed)?\b|\blate\b|terlewat|terlambat|terlepas|lewat/i);
  }
});

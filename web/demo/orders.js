// Sample orders for the demo pages, one in each state at DEMO_NOW
// (Tue 4 Mar 2025, 12:00 in Los Angeles). The host code of the demo appends
// events to them as the buyer, seller and carrier act.

export const DEMO_NOW = '2025-03-04T20:00:00Z';

const mug = { sku: 'MUG-BLK', name: 'Ceramic mug, black', qty: 2, unit_price_minor: 1999 };
const coasters = { sku: 'COASTER-4', name: 'Cork coasters (set of 4)', qty: 1, unit_price_minor: 1000 };
const promise = (est) => ({ handling_days: 2, transit_days: [3, 5], est_delivery: est });

const us = (id, extra) => ({
  order_id: id,
  market: 'US',
  seller_id: 'S-1001',
  buyer_id: 'B-2001',
  currency: 'USD',
  payment_method: 'card',
  ...extra,
});

const shirt = { sku: 'SHIRT-M', name: 'Linen shirt, M', qty: 1, unit_price_minor: 3900 };
// An order of `items` (one each) paid Tue 18 Feb, delivered Tue 25 Feb, and the events after.
const deliveredFeb25 = (id, items, later = []) => {
  const total = items.reduce((n, item) => n + item.unit_price_minor, 0);
  return us(id, {
    total_minor: total,
    items,
    placed_at: '2025-02-18T18:00:00Z',
    promise: promise('2025-02-26'),
    events: [
      { id: 'e1', type: 'payment_succeeded', at: '2025-02-18T18:02:00Z', amount_minor: total },
      { id: 'e2', type: 'shipped', at: '2025-02-20T17:00:00Z', by: 'seller', carrier: 'USPS', tracking_number: '9400100000000000000000' },
      { id: 'e3', type: 'delivered', at: '2025-02-25T21:00:00Z', by: 'carrier' },
      ...later,
    ],
  });
};

export const SAMPLE_ORDERS = [
  {
    key: 'unpaid',
    title: 'Not paid yet',
    order: us('US-1001', {
      total_minor: 1299,
      items: [{ sku: 'CASE-12', name: 'Phone case, clear', qty: 1, unit_price_minor: 1299 }],
      placed_at: '2025-03-04T19:00:00Z',
      promise: promise('2025-03-13'),
      events: [],
    }),
  },
  {
    key: 'on-hold',
    title: 'Just paid (free cancellation)',
    order: us('US-1002', {
      total_minor: 2499,
      items: [{ sku: 'LAMP-S', name: 'Desk lamp, small', qty: 1, unit_price_minor: 2499 }],
      placed_at: '2025-03-04T19:30:00Z',
      promise: promise('2025-03-13'),
      events: [{ id: 'e1', type: 'payment_succeeded', at: '2025-03-04T19:40:00Z', amount_minor: 2499 }],
    }),
  },
  {
    key: 'awaiting-shipment',
    title: 'Paid, waiting for the seller',
    order: us('US-1003', {
      total_minor: 4998,
      items: [mug, coasters],
      placed_at: '2025-03-03T18:00:00Z',
      promise: promise('2025-03-12'),
      events: [{ id: 'e1', type: 'payment_succeeded', at: '2025-03-03T18:05:00Z', amount_minor: 4998 }],
    }),
  },
  {
    key: 'awaiting-collection',
    title: 'Packed',
    order: us('US-1004', {
      total_minor: 3500,
      items: [{ sku: 'TEA-100', name: 'Green tea, 100 bags', qty: 1, unit_price_minor: 3500 }],
      placed_at: '2025-03-03T17:00:00Z',
      promise: promise('2025-03-12'),
      events: [
        { id: 'e1', type: 'payment_succeeded', at: '2025-03-03T17:02:00Z', amount_minor: 3500 },
        { id: 'e2', type: 'ready_to_ship', at: '2025-03-04T16:00:00Z', by: 'seller' },
      ],
    }),
  },
  {
    key: 'request-pending',
    title: 'Cancellation requested',
    order: us('US-1005', {
      total_minor: 1850,
      items: [{ sku: 'SOCK-3', name: 'Wool socks, 3 pairs', qty: 1, unit_price_minor: 1850 }],
      placed_at: '2025-03-02T18:00:00Z',
      promise: promise('2025-03-11'),
      events: [
        { id: 'e1', type: 'payment_succeeded', at: '2025-03-02T18:01:00Z', amount_minor: 1850 },
        { id: 'e2', type: 'cancel_requested', at: '2025-03-04T15:00:00Z', by: 'buyer', reason: 'changed_mind' },
      ],
    }),
  },
  {
    key: 'in-transit',
    title: 'On its way',
    order: us('US-1006', {
      total_minor: 7900,
      items: [{ sku: 'KETTLE-1', name: 'Electric kettle', qty: 1, unit_price_minor: 7900 }],
      placed_at: '2025-02-20T18:00:00Z',
      promise: promise('2025-02-28'),
      events: [
        { id: 'e1', type: 'payment_succeeded', at: '2025-02-20T18:03:00Z', amount_minor: 7900 },
        { id: 'e2', type: 'shipped', at: '2025-02-24T20:00:00Z', by: 'seller', carrier: 'UPS', tracking_number: '1Z999AA10123456784' },
      ],
    }),
  },
  {
    key: 'delivered',
    title: 'Delivered',
    order: deliveredFeb25('US-1007', [shirt, { sku: 'GIFT-WRAP', name: 'Gift wrapping', qty: 1, unit_price_minor: 1500, returnable: false }]),
  },
  {
    key: 'completed',
    title: 'Completed',
    order: us('US-1008', {
      total_minor: 1200,
      items: [{ sku: 'PEN-4', name: 'Gel pens (4)', qty: 1, unit_price_minor: 1200 }],
      placed_at: '2025-01-10T18:00:00Z',
      promise: promise('2025-01-17'),
      events: [
        { id: 'e1', type: 'payment_succeeded', at: '2025-01-10T18:01:00Z', amount_minor: 1200 },
        { id: 'e2', type: 'shipped', at: '2025-01-13T17:00:00Z', by: 'seller', carrier: 'USPS', tracking_number: '9400100000000000000001' },
        { id: 'e3', type: 'delivered', at: '2025-01-16T20:00:00Z', by: 'carrier' },
        { id: 'e4', type: 'completed', at: '2025-02-15T20:00:00Z', by: 'platform' },
      ],
    }),
  },
  {
    key: 'cancelled',
    title: 'Cancelled by the seller',
    order: us('US-1009', {
      total_minor: 6500,
      items: [{ sku: 'BOOT-42', name: 'Rain boots, size 42', qty: 1, unit_price_minor: 6500 }],
      placed_at: '2025-03-01T18:00:00Z',
      promise: promise('2025-03-10'),
      events: [
        { id: 'e1', type: 'payment_succeeded', at: '2025-03-01T18:02:00Z', amount_minor: 6500 },
        { id: 'e2', type: 'cancelled', at: '2025-03-02T17:00:00Z', by: 'seller', reason: 'out_of_stock' },
      ],
    }),
  },
  {
    key: 'return-approved',
    title: 'Return approved: send it back',
    // The return of the shirt was approved Fri 28 Feb: 14 days to send it back.
    order: deliveredFeb25('US-1010', [shirt, { sku: 'SCARF-1', name: 'Cotton scarf', qty: 1, unit_price_minor: 1500 }], [
      { id: 'e4', type: 'return_requested', at: '2025-02-27T18:00:00Z', by: 'buyer', reason: 'changed_mind', items: [{ line_id: 'SHIRT-M', qty: 1 }] },
      { id: 'e5', type: 'return_approved', at: '2025-02-28T17:00:00Z', by: 'seller' },
    ]),
  },
  {
    key: 'id-unpaid',
    title: 'Indonesia: payment failed',
    order: {
      order_id: 'ID-2001',
      market: 'ID',
      seller_id: 'S-3001',
      buyer_id: 'B-4001',
      currency: 'IDR',
      total_minor: 15000000,
      items: [{ sku: 'BATIK-L', name: 'Kemeja batik, L', qty: 1, unit_price_minor: 15000000 }],
      payment_method: 'bank_transfer',
      placed_at: '2025-03-04T03:00:00Z',
      events: [{ id: 'e1', type: 'payment_failed', at: '2025-03-04T03:05:00Z', reason: 'insufficient_funds' }],
    },
  },
];

/** The cart of the demo storefront, per market. */
export const CARTS = {
  US: { currency: 'USD', items: [mug, coasters] },
  GB: { currency: 'GBP', items: [{ sku: 'SCARF-W', name: 'Wool scarf', qty: 1, unit_price_minor: 2800 }] },
  ID: { currency: 'IDR', items: [{ sku: 'BATIK-L', name: 'Kemeja batik, L', qty: 1, unit_price_minor: 15000000 }] },
};

/**
 * The id the storefront gives the `n`th order it places in `market` when it
 * runs on the order service (its buyer token is made beforehand, by
 * scripts/demo-service.mjs).
 */
export const placedOrderId = (market, n) => `${market}-${3000 + n}`;

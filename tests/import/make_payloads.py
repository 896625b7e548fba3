#!/usr/bin/env python3
"""Writes tests/import/*.json: each vector's TikTok payload is written here
with readable instants (T("2025-04-08T16:00:00Z") is its epoch seconds, the
payload's encoding); every expectation is typed by hand, with its working in
`why`. Run it after editing a vector; review the diff."""
import calendar, json, os, time

def T(s):
    return calendar.timegm(time.strptime(s, "%Y-%m-%dT%H:%M:%SZ"))

US_WHY = ("US policy/2 embedded (America/Los_Angeles, PDT = UTC-7 in April 2025; Sat/Sun weekend; no holiday "
          "04-08..05-23; payment_window_hours 48; remorse 1 h; ship_by 7 working days from placed; "
          "sla.dispatch_working_days 2; cancel_request_response_hours 24 before dispatch_by; "
          "platform_tolerance_minutes 60 by default). Placed Tue 2025-04-08T16:00:00Z (09:00 PDT) = epoch "
          "1744128000 (20186 days x 86400 + 16 h). Computed: payment due placed + 48 h = 2025-04-10T16:00:00Z; "
          "dispatch_by = end of Thu 04-10 (Wed 1, Thu 2) = 2025-04-11T07:00:00Z; ship_by = end of Thu 04-17 "
          "(Wed 9, Thu 10, Fri 11, Mon 14, Tue 15, Wed 16, Thu 17) = 2025-04-18T07:00:00Z. ")

def base(status, **kw):
    p = {"id": "5770001", "status": status, "create_time": T("2025-04-08T16:00:00Z"), "user_id": "B-77",
         "recipient_address": {"region_code": "US"},
         "payment": {"currency": "USD", "total_amount": "15.50", "shipping_fee": "3.00"},
         "line_items": [{"id": "L1", "seller_sku": "MUG", "product_name": "Mug", "sale_price": "12.50",
                         "display_status": status}]}
    p.update(kw)
    return p

V = {}
PAID = T("2025-04-08T16:02:00Z")

V["t01_unpaid_payment_deadline_stamped"] = dict(
    why=US_WHY + "UNPAID: no paid_time, so no payment event; cancel_order_sla_time 2025-04-10T16:00:00Z on an unpaid "
    "order without a request is the payment deadline (RULES table) and equals the computed one: 0 min apart, no "
    "deadline_mismatch. Money: total_amount \"15.50\" USD (2 decimals) = 1550, shipping_fee \"3.00\" = 300, "
    "sale_price \"12.50\" = 1250. market US from recipient_address.region_code; seller S-1 given. Status UNPAID "
    "equals the platform's: no status_mismatch. now 2025-04-09T12:00Z: payment pending.",
    payload=base("UNPAID", cancel_order_sla_time=T("2025-04-10T16:00:00Z")),
    now="2025-04-09T12:00:00Z",
    expected={"order": {"order_id": "5770001", "market": "US", "seller_id": "S-1", "buyer_id": "B-77",
                        "currency": "USD", "total_minor": 1550, "shipping_minor": 300,
                        "items": [{"line_id": "L1", "sku": "MUG", "name": "Mug", "qty": 1, "unit_price_minor": 1250}],
                        "placed_at": "2025-04-08T16:00:00Z",
                        "platform": {"name": "tiktok", "order_id": "5770001", "status": "UNPAID",
                                     "deadlines": {"payment": "2025-04-10T16:00:00Z"},
                                     "raw_deadlines": {"cancel_order_sla_time": "2025-04-10T16:00:00Z"}},
                        "events": []},
              "warnings": [],
              "evaluation": {"status": "UNPAID"},
              "obligations": {"payment": {"due_at": "2025-04-10T16:00:00Z", "source": "platform",
                                          "computed_due_at": "2025-04-10T16:00:00Z", "state": "pending"}},
              "evaluation_warnings": []})

V["t02_on_hold"] = dict(
    why=US_WHY + "ON_HOLD: paid_time 16:02 -> payment_succeeded by platform (no amount: the total). Remorse 1 h: "
    "free cancellation until 17:02; now 16:30 -> ON_HOLD, as the platform says. No deadlines stamped: every "
    "obligation source computed.",
    payload=base("ON_HOLD", paid_time=PAID),
    now="2025-04-08T16:30:00Z",
    expected={"order": {"events": [{"type": "payment_succeeded", "at": "2025-04-08T16:02:00Z", "by": "platform",
                                    "source": "/paid_time"}]},
              "warnings": [],
              "evaluation": {"status": "ON_HOLD"},
              "obligations": {"ship_by": {"due_at": "2025-04-18T07:00:00Z", "source": "computed",
                                          "computed_due_at": None}},
              "evaluation_warnings": []})

V["t03_ship_by_stamped_a_day_later"] = dict(
    why=US_WHY + "AWAITING_SHIPMENT, paid 16:02. rts_sla_time 2025-04-11T07:00Z -> dispatch_by, equal to the "
    "computed one. shipping_due_time 2025-04-19T07:00Z -> ship_by; computed 2025-04-18T07:00Z: 1440 min apart > 60 "
    "-> warning deadline_mismatch (one: dispatch_by agrees). The stamp is the auto-cancel's instant: at now "
    "2025-04-18T12:00Z (after the computed ship_by, before the stamp) nothing is due and the effective status stays "
    "AWAITING_SHIPMENT (with the computed clock the seller_late_ship auto-cancel would have fired at 04-18T07:00Z). "
    "dispatch_by missed (nothing packed by 04-11T07:00Z); ship_by pending.",
    payload=base("AWAITING_SHIPMENT", paid_time=PAID, rts_sla_time=T("2025-04-11T07:00:00Z"),
                 shipping_due_time=T("2025-04-19T07:00:00Z")),
    now="2025-04-18T12:00:00Z",
    expected={"order": {"platform": {"deadlines": {"dispatch_by": "2025-04-11T07:00:00Z",
                                                   "ship_by": "2025-04-19T07:00:00Z"}}},
              "warnings": [],
              "evaluation": {"status": "AWAITING_SHIPMENT", "effective_status": "AWAITING_SHIPMENT", "due": []},
              "obligations": {"dispatch_by": {"due_at": "2025-04-11T07:00:00Z", "source": "platform",
                                              "computed_due_at": "2025-04-11T07:00:00Z", "state": "missed"},
                              "ship_by": {"due_at": "2025-04-19T07:00:00Z", "source": "platform",
                                          "computed_due_at": "2025-04-18T07:00:00Z", "state": "pending"}},
              "evaluation_warnings": ["deadline_mismatch"]})

two_lines = lambda l1, l2: [dict({"id": "L1", "seller_sku": "MUG", "product_name": "Mug", "sale_price": "10.00"}, **l1),
                            dict({"id": "L2", "seller_sku": "LAMP", "product_name": "Lamp", "sku_name": "Black",
                                  "sale_price": "20.00"}, **l2)]
PAY30 = {"currency": "USD", "total_amount": "30.00", "shipping_fee": "0.00"}

V["t04_split_shipment_partially_shipping"] = dict(
    why=US_WHY + "Two lines (TikTok lists one unit a line: qty 1 each): L1 in package PK1 FULFILLING (with the "
    "carrier), rts_time 04-09T18:00Z, USPS TT1; L2 AWAITING_SHIPMENT, no package. No collection_time (the order is "
    "not yet IN_TRANSIT): PK1 is shipped at its rts_time, warning shipped_at_estimated at "
    "/line_items/0/package_status. Events: payment 16:02; ready_to_ship PK1 [L1] 04-09T18:00Z by seller; shipped "
    "PK1 04-09T18:00Z by carrier. One unit shipped, one free -> PARTIALLY_SHIPPING, as the platform says. L2's "
    "name joins sku_name: \"Lamp (Black)\".",
    payload=base("PARTIALLY_SHIPPING", paid_time=PAID, payment=PAY30,
                 line_items=two_lines({"package_id": "PK1", "package_status": "FULFILLING", "display_status": "IN_TRANSIT",
                                       "rts_time": T("2025-04-09T18:00:00Z"), "tracking_number": "TT1",
                                       "shipping_provider_name": "USPS"},
                                      {"display_status": "AWAITING_SHIPMENT"})),
    now="2025-04-10T12:00:00Z",
    expected={"order": {"total_minor": 3000, "shipping_minor": 0,
                        "items": [{"line_id": "L1", "sku": "MUG", "name": "Mug", "qty": 1, "unit_price_minor": 1000},
                                  {"line_id": "L2", "sku": "LAMP", "name": "Lamp (Black)", "qty": 1,
                                   "unit_price_minor": 2000}],
                        "events": [{"type": "payment_succeeded", "at": "2025-04-08T16:02:00Z"},
                                   {"type": "ready_to_ship", "at": "2025-04-09T18:00:00Z", "by": "seller",
                                    "package_id": "PK1", "items": [{"line_id": "L1", "qty": 1}],
                                    "source": "/line_items/0/rts_time"},
                                   {"type": "shipped", "at": "2025-04-09T18:00:00Z", "by": "carrier",
                                    "package_id": "PK1", "carrier": "USPS", "tracking_number": "TT1"}]},
              "warnings": ["shipped_at_estimated"], "warning_paths": ["/line_items/0/package_status"],
              "evaluation": {"status": "PARTIALLY_SHIPPING"},
              "evaluation_warnings": []})

V["t05_awaiting_collection"] = dict(
    why=US_WHY + "One line in PK1 PROCESSING (arranged, waiting for the carrier), rts_time 04-09T18:00Z -> "
    "ready_to_ship PK1 [L1] by seller; not shipped. Every unit packed, none shipped -> AWAITING_COLLECTION, as the "
    "platform says. ship_by (satisfied_by ready_to_ship) met at 04-09T18:00Z < 04-18T07:00Z.",
    payload=base("AWAITING_COLLECTION", paid_time=PAID,
                 line_items=[{"id": "L1", "seller_sku": "MUG", "product_name": "Mug", "sale_price": "12.50",
                              "package_id": "PK1", "package_status": "PROCESSING",
                              "display_status": "AWAITING_COLLECTION", "rts_time": T("2025-04-09T18:00:00Z")}]),
    now="2025-04-10T12:00:00Z",
    expected={"order": {"events": [{"type": "payment_succeeded"},
                                   {"type": "ready_to_ship", "at": "2025-04-09T18:00:00Z", "package_id": "PK1"}]},
              "warnings": [],
              "evaluation": {"status": "AWAITING_COLLECTION"},
              "obligations": {"ship_by": {"state": "met", "met_at": "2025-04-09T18:00:00Z"}},
              "evaluation_warnings": []})

V["t06_in_transit"] = dict(
    why=US_WHY + "PK1 FULFILLING, rts 04-09T18:00Z, collection_time 04-10T20:00Z (the order's move to IN_TRANSIT) "
    "-> shipped PK1 at 04-10T20:00Z with the order's tracking_number TT9 and shipping_provider UPS (the line has "
    "none). Every unit shipped -> IN_TRANSIT.",
    payload=base("IN_TRANSIT", paid_time=PAID, collection_time=T("2025-04-10T20:00:00Z"), tracking_number="TT9",
                 shipping_provider="UPS",
                 line_items=[{"id": "L1", "seller_sku": "MUG", "product_name": "Mug", "sale_price": "12.50",
                              "package_id": "PK1", "package_status": "FULFILLING", "display_status": "IN_TRANSIT",
                              "rts_time": T("2025-04-09T18:00:00Z")}]),
    now="2025-04-11T12:00:00Z",
    expected={"order": {"events": [{"type": "payment_succeeded"}, {"type": "ready_to_ship"},
                                   {"type": "shipped", "at": "2025-04-10T20:00:00Z", "package_id": "PK1",
                                    "carrier": "UPS", "tracking_number": "TT9", "source": "/collection_time"}]},
              "warnings": [],
              "evaluation": {"status": "IN_TRANSIT"},
              "evaluation_warnings": []})

V["t07_delivered_two_packages"] = dict(
    why=US_WHY + "Split shipment: L1 in PK1 (rts 04-09T18:00Z), L2 in PK2 (rts 04-10T18:00Z), both COMPLETED "
    "(delivered). collection_time 04-10T20:00Z ships both; delivery_time 04-14T18:00Z delivers both, and since "
    "TikTok gives one delivery_time for two packages each delivery carries warning delivered_at_estimated. Sorted "
    "by at (ties in rebuild order): payment 04-08T16:02, rts PK1 04-09T18, rts PK2 04-10T18, shipped PK1, shipped "
    "PK2 04-10T20, delivered PK1, delivered PK2 04-14T18. Every unit delivered -> DELIVERED.",
    payload=base("DELIVERED", paid_time=PAID, payment=PAY30, collection_time=T("2025-04-10T20:00:00Z"),
                 delivery_time=T("2025-04-14T18:00:00Z"),
                 line_items=two_lines({"package_id": "PK1", "package_status": "COMPLETED", "display_status": "DELIVERED",
                                       "rts_time": T("2025-04-09T18:00:00Z")},
                                      {"package_id": "PK2", "package_status": "COMPLETED", "display_status": "DELIVERED",
                                       "rts_time": T("2025-04-10T18:00:00Z")})),
    now="2025-04-15T00:00:00Z",
    expected={"order": {"events": [{"type": "payment_succeeded"},
                                   {"type": "ready_to_ship", "at": "2025-04-09T18:00:00Z", "package_id": "PK1"},
                                   {"type": "ready_to_ship", "at": "2025-04-10T18:00:00Z", "package_id": "PK2"},
                                   {"type": "shipped", "at": "2025-04-10T20:00:00Z", "package_id": "PK1"},
                                   {"type": "shipped", "at": "2025-04-10T20:00:00Z", "package_id": "PK2"},
                                   {"type": "delivered", "at": "2025-04-14T18:00:00Z", "package_id": "PK1"},
                                   {"type": "delivered", "at": "2025-04-14T18:00:00Z", "package_id": "PK2"}]},
              "warnings": ["delivered_at_estimated", "delivered_at_estimated"],
              "evaluation": {"status": "DELIVERED", "facts": {"delivered_at": "2025-04-14T18:00:00Z"}},
              "evaluation_warnings": []})

V["t08_completed"] = dict(
    why=US_WHY + "COMPLETED: rts 04-09T18:00Z, collection 04-10T20:00Z, delivery 04-14T18:00Z, and the completion "
    "at update_time 2025-05-20T00:00Z (for a COMPLETED order, its last status change) -> completed by platform. "
    "now 05-21 -> COMPLETED.",
    payload=base("COMPLETED", paid_time=PAID, collection_time=T("2025-04-10T20:00:00Z"),
                 delivery_time=T("2025-04-14T18:00:00Z"), update_time=T("2025-05-20T00:00:00Z"),
                 line_items=[{"id": "L1", "seller_sku": "MUG", "product_name": "Mug", "sale_price": "12.50",
                              "package_id": "PK1", "package_status": "COMPLETED", "display_status": "COMPLETED",
                              "rts_time": T("2025-04-09T18:00:00Z")}]),
    now="2025-05-21T00:00:00Z",
    expected={"order": {"events": [{"type": "payment_succeeded"}, {"type": "ready_to_ship"}, {"type": "shipped"},
                                   {"type": "delivered", "at": "2025-04-14T18:00:00Z"},
                                   {"type": "completed", "at": "2025-05-20T00:00:00Z", "by": "platform",
                                    "source": "/update_time"}]},
              "warnings": [],
              "evaluation": {"status": "COMPLETED"},
              "evaluation_warnings": []})

V["t09_cancelled_unpaid_by_buyer"] = dict(
    why=US_WHY + "CANCELLED while unpaid: cancel_time 04-08T18:00Z, cancellation_initiator BUYER -> by buyer; "
    "cancel_reason ecom_order_unpaid_canceled_reason_no_longer_needed -> changed_mind (RULES table), the TikTok "
    "name kept as platform_reason. Whole order cancelled -> CANCELLED, buyer-responsible (changed_mind is the "
    "buyer's).",
    payload=base("CANCELLED", cancel_time=T("2025-04-08T18:00:00Z"), cancellation_initiator="BUYER",
                 cancel_reason="ecom_order_unpaid_canceled_reason_no_longer_needed",
                 line_items=[{"id": "L1", "seller_sku": "MUG", "product_name": "Mug", "sale_price": "12.50",
                              "display_status": "CANCELLED", "cancel_user": "BUYER"}]),
    now="2025-04-09T00:00:00Z",
    expected={"order": {"events": [{"type": "cancelled", "at": "2025-04-08T18:00:00Z", "by": "buyer",
                                    "reason": "changed_mind",
                                    "platform_reason": "ecom_order_unpaid_canceled_reason_no_longer_needed",
                                    "source": "/cancel_time"}]},
              "warnings": [],
              "evaluation": {"status": "CANCELLED",
                             "cancelled": {"by": "buyer", "reason": "changed_mind", "responsibility": "buyer"}},
              "evaluation_warnings": []})

V["t10_line_cancel_out_of_stock"] = dict(
    why=US_WHY + "L2 cancelled by the seller (cancel_user SELLER, cancel_reason \"Out of stock\", TikTok's display "
    "text -> out_of_stock); the order is not CANCELLED and has no cancel_time, so the line cancel is recorded at "
    "update_time 04-09T10:00Z with warning cancelled_at_estimated at /line_items/1/cancel_user. L1 free -> "
    "AWAITING_SHIPMENT (past the 1 h remorse window). line_cancellations: seller, out_of_stock, seller-responsible.",
    payload=base("AWAITING_SHIPMENT", paid_time=PAID, payment=PAY30, update_time=T("2025-04-09T10:00:00Z"),
                 line_items=two_lines({"display_status": "AWAITING_SHIPMENT"},
                                      {"display_status": "CANCELLED", "cancel_user": "SELLER",
                                       "cancel_reason": "Out of stock"})),
    now="2025-04-09T12:00:00Z",
    expected={"order": {"events": [{"type": "payment_succeeded"},
                                   {"type": "cancelled", "at": "2025-04-09T10:00:00Z", "by": "seller",
                                    "reason": "out_of_stock", "items": [{"line_id": "L2", "qty": 1}],
                                    "platform_reason": "Out of stock", "source": "/update_time"}]},
              "warnings": ["cancelled_at_estimated"], "warning_paths": ["/line_items/1/cancel_user"],
              "evaluation": {"status": "AWAITING_SHIPMENT",
                             "line_cancellations": [{"by": "seller", "reason": "out_of_stock",
                                                     "responsibility": "seller"}]},
              "evaluation_warnings": []})

V["t11_cod_delivered"] = dict(
    why=US_WHY + "is_cod true -> payment_method cod; the order is confirmed at placement. paid_time 04-14T18:00Z "
    "(the cash, collected at the door) -> payment_succeeded by carrier; rebuilt first, so at the tie with the "
    "delivery it comes first. rts 04-09T18:00Z, collection 04-10T20:00Z, delivery 04-14T18:00Z -> DELIVERED, "
    "paid_minor 1550 (the total), no cod_not_collected.",
    payload=base("DELIVERED", is_cod=True, paid_time=T("2025-04-14T18:00:00Z"),
                 collection_time=T("2025-04-10T20:00:00Z"), delivery_time=T("2025-04-14T18:00:00Z"),
                 line_items=[{"id": "L1", "seller_sku": "MUG", "product_name": "Mug", "sale_price": "12.50",
                              "package_id": "PK1", "package_status": "COMPLETED", "display_status": "DELIVERED",
                              "rts_time": T("2025-04-09T18:00:00Z")}]),
    now="2025-04-15T00:00:00Z",
    expected={"order": {"payment_method": "cod",
                        "events": [{"type": "ready_to_ship"}, {"type": "shipped"},
                                   {"type": "payment_succeeded", "at": "2025-04-14T18:00:00Z", "by": "carrier"},
                                   {"type": "delivered", "at": "2025-04-14T18:00:00Z"}]},
              "warnings": [],
              "evaluation": {"status": "DELIVERED", "facts": {"paid_minor": 1550, "payment_method": "cod"}},
              "anomalies": [],
              "evaluation_warnings": []})

V["t12_delivery_before_shipping"] = dict(
    why=US_WHY + "Inconsistent timestamps: delivery_time 04-11T18:00Z is before collection_time 04-12T20:00Z. The "
    "importer keeps both as given (warning timestamps_out_of_order at /delivery_time) and lets the core judge: "
    "replayed in time order, the delivery of PK1 comes while it is only packed -> anomaly impossible_transition "
    "(a delivered with no shipped, applied to the packed package: RULES anomalies).",
    payload=base("DELIVERED", paid_time=PAID, collection_time=T("2025-04-12T20:00:00Z"),
                 delivery_time=T("2025-04-11T18:00:00Z"),
                 line_items=[{"id": "L1", "seller_sku": "MUG", "product_name": "Mug", "sale_price": "12.50",
                              "package_id": "PK1", "package_status": "COMPLETED", "display_status": "DELIVERED",
                              "rts_time": T("2025-04-09T18:00:00Z")}]),
    now="2025-04-13T00:00:00Z",
    expected={"order": {"events": [{"type": "payment_succeeded"}, {"type": "ready_to_ship"},
                                   {"type": "delivered", "at": "2025-04-11T18:00:00Z"},
                                   {"type": "shipped", "at": "2025-04-12T20:00:00Z"}]},
              "warnings": ["timestamps_out_of_order"], "warning_paths": ["/delivery_time"],
              "evaluation": {},
              "anomalies_include": ["impossible_transition"]})

V["t13_unknown_initiator_and_reason"] = dict(
    why=US_WHY + "CANCELLED by an initiator TikTok does not document (\"MARKETPLACE_BOT\") for a reason no table "
    "knows (\"Gremlins\"): recorded by platform with platform_by kept, reason kept as given (and as platform_reason); "
    "two warnings (unknown_initiator at /cancellation_initiator, unknown_cancel_reason at /cancel_reason); the "
    "evaluation reports anomaly unknown_reason (SPEC 1.2) and the order is CANCELLED.",
    payload=base("CANCELLED", cancel_time=T("2025-04-08T18:00:00Z"), cancellation_initiator="MARKETPLACE_BOT",
                 cancel_reason="Gremlins"),
    now="2025-04-09T00:00:00Z",
    expected={"order": {"events": [{"type": "cancelled", "by": "platform", "reason": "Gremlins",
                                    "platform_reason": "Gremlins", "platform_by": "MARKETPLACE_BOT"}]},
              "warnings": ["unknown_initiator", "unknown_cancel_reason"],
              "warning_paths": ["/cancellation_initiator", "/cancel_reason"],
              "evaluation": {"status": "CANCELLED"},
              "anomalies_include": ["unknown_reason"]})

V["t14_cancel_request_pending"] = dict(
    why=US_WHY + "AWAITING_SHIPMENT with a pending buyer request: request_cancel_time 04-09T10:00Z -> "
    "cancel_requested by buyer; is_buyer_request_cancel true, so cancel_order_sla_time 04-10T10:00Z is the "
    "request's response deadline (RULES table). Computed: the request came before dispatch_by (04-11T07:00Z), "
    "so + 24 h = 2025-04-10T10:00:00Z: equal, no deadline_mismatch. now 04-09T12:00Z: request pending.",
    payload=base("AWAITING_SHIPMENT", paid_time=PAID, request_cancel_time=T("2025-04-09T10:00:00Z"),
                 is_buyer_request_cancel=True, cancel_order_sla_time=T("2025-04-10T10:00:00Z")),
    now="2025-04-09T12:00:00Z",
    expected={"order": {"platform": {"deadlines": {"cancel_request_response": "2025-04-10T10:00:00Z"}},
                        "events": [{"type": "payment_succeeded"},
                                   {"type": "cancel_requested", "at": "2025-04-09T10:00:00Z", "by": "buyer"}]},
              "warnings": [],
              "evaluation": {"status": "AWAITING_SHIPMENT", "flags": {"cancel_request_pending": True}},
              "obligations": {"cancel_request_response": {"due_at": "2025-04-10T10:00:00Z", "source": "platform",
                                                          "computed_due_at": "2025-04-10T10:00:00Z",
                                                          "state": "pending"}},
              "evaluation_warnings": []})

V["t15_status_mismatch"] = dict(
    why=US_WHY + "The platform says IN_TRANSIT but the payload has no shipment facts (no package, no rts_time, no "
    "collection_time): the importer invents none, so the recorded events give AWAITING_SHIPMENT (paid, past "
    "remorse) and the evaluation warns status_mismatch instead of hiding the disagreement. The line's own "
    "display_status IN_TRANSIT says it is with the carrier, but nothing says when: warning timestamp_missing at "
    "/line_items/0/package_status, and no shipment is made up.",
    payload=base("IN_TRANSIT", paid_time=PAID),
    now="2025-04-09T12:00:00Z",
    expected={"warnings": ["timestamp_missing"], "warning_paths": ["/line_items/0/package_status"],
              "evaluation": {"status": "AWAITING_SHIPMENT"},
              "evaluation_warnings": ["status_mismatch"]})

V["t16_partially_shipping_counts_packed"] = dict(
    why=US_WHY + "TikTok says PARTIALLY_SHIPPING once some items are \"shipped\" in its sense (Ship Order called: rts), "
    "here L1 in PK1 PROCESSING (rts 04-09T18:00Z, not collected) while L2 in PK2 is still TO_FULFILL (a package id "
    "but no rts_time: not packed, no event, no warning). ordertrail: one unit "
    "packed, one free, none shipped -> AWAITING_SHIPMENT. RULES: PARTIALLY_SHIPPING agrees with AWAITING_SHIPMENT "
    "when some units are packed, so no status_mismatch.",
    payload=base("PARTIALLY_SHIPPING", paid_time=PAID, payment=PAY30,
                 line_items=two_lines({"package_id": "PK1", "package_status": "PROCESSING",
                                       "display_status": "AWAITING_COLLECTION", "rts_time": T("2025-04-09T18:00:00Z")},
                                      {"package_id": "PK2", "package_status": "TO_FULFILL",
                                       "display_status": "AWAITING_SHIPMENT"})),
    now="2025-04-10T12:00:00Z",
    expected={"order": {"events": [{"type": "payment_succeeded"},
                                   {"type": "ready_to_ship", "package_id": "PK1", "items": [{"line_id": "L1", "qty": 1}]}]},
              "warnings": [],
              "evaluation": {"status": "AWAITING_SHIPMENT"},
              "evaluation_warnings": []})

# Bad payloads: an ordertrail.error/1 pointing INTO the payload.
def bad(name, why, payload, code, path):
    V[name] = dict(why=why, payload=payload, expected={"error": {"code": code, "path": path}})

bad("x01_too_many_decimals", "sale_price \"12.505\" has 3 decimals; USD has 2: invalid_value at the line's sale_price.",
    base("UNPAID", line_items=[{"id": "L1", "sku_id": "9", "sale_price": "12.505"}]), "invalid_value",
    "/line_items/0/sale_price")
bad("x02_price_as_number", "sale_price 12.5 is a JSON number: money is read from decimal strings only (never "
    "through a float): invalid_type.",
    base("UNPAID", line_items=[{"id": "L1", "sku_id": "9", "sale_price": 12.5}]), "invalid_type",
    "/line_items/0/sale_price")
p = base("UNPAID"); del p["id"]
bad("x03_missing_id", "no order id: missing_field /id.", p, "missing_field", "/id")
bad("x04_duplicate_line", "two line items with id L1: duplicate_line at the second's id.",
    base("UNPAID", line_items=[{"id": "L1", "sku_id": "9", "sale_price": "1"}, {"id": "L1", "sku_id": "9", "sale_price": "1"}]),
    "duplicate_line", "/line_items/1/id")
bad("x05_envelope_pointer", "the whole Get Order Detail response with one order is accepted; its errors point "
    "through the envelope: total_amount \"1.001\" -> /data/orders/0/payment/total_amount.",
    {"code": 0, "data": {"orders": [base("UNPAID", payment={"currency": "USD", "total_amount": "1.001"})]}},
    "invalid_value", "/data/orders/0/payment/total_amount")
bad("x06_two_orders", "a response with two orders: one at a time (NDJSON for many): invalid_value /data/orders.",
    {"code": 0, "data": {"orders": [base("UNPAID"), base("UNPAID")]}}, "invalid_value", "/data/orders")
bad("x07_no_market", "no --market and no recipient_address: missing_field at the address's region_code.",
    {k: v for k, v in base("UNPAID").items() if k != "recipient_address"}, "missing_field",
    "/recipient_address/region_code")
bad("x08_epoch_out_of_range", "create_time 253402300800 is 10000-01-01T00:00:00Z, past the last instant ordertrail "
    "writes: invalid_value.", base("UNPAID", create_time=253402300800), "invalid_value", "/create_time")

# Shopify Admin REST orders (RFC 3339 instants with offsets, as Shopify writes them).
SHOP_WHY = US_WHY.replace("Placed Tue 2025-04-08T16:00:00Z (09:00 PDT) = epoch 1744128000 (20186 days x 86400 + 16 h). ",
                          "created_at 2025-04-08T09:00:00-07:00 = 2025-04-08T16:00:00Z. ")
def shop(**kw):
    o = {"id": 9001, "name": "#1001", "created_at": "2025-04-08T09:00:00-07:00",
         "processed_at": "2025-04-08T09:00:00-07:00", "currency": "USD", "total_price": "45.00",
         "financial_status": "paid", "fulfillment_status": None, "customer": {"id": 42},
         "shipping_address": {"country_code": "US"}, "shipping_lines": [{"price": "5.00"}],
         "line_items": [{"id": 1001, "sku": "MUG", "name": "Mug", "quantity": 2, "price": "10.00"},
                        {"id": 1002, "sku": "LAMP", "name": "Lamp", "quantity": 1, "price": "20.00"}],
         "fulfillments": [], "refunds": []}
    o.update(kw)
    return o
FUL = {"id": 5001, "created_at": "2025-04-09T11:00:00-07:00", "status": "success", "tracking_company": "USPS",
       "tracking_number": "9400", "line_items": [{"id": 1001, "quantity": 2}, {"id": 1002, "quantity": 1}]}
S = {}
S["s01_refund_per_line"] = dict(
    why=SHOP_WHY + "Lines 1001 MUG 2 x \"10.00\" = 2 x 1000, 1002 LAMP 1 x \"20.00\" = 2000; total_price \"45.00\" = 4500, "
    "shipping_lines 500. Goods 4000 = the lines' values, so each line's allocation is its value (1001: 2000, 1002: 2000). "
    "financial_status partially_refunded: the total was captured at processed_at 16:00Z (payment_succeeded by platform). "
    "Fulfillment 5001 (created 2025-04-09T11:00-07:00 = 18:00Z, both lines, USPS 9400) -> shipped by seller; "
    "shipment_status delivered, updated_at 2025-04-14T11:00-07:00 = 18:00Z -> delivered then (REST has no delivery "
    "time: warning delivered_at_estimated). Refund 7001 processed 2025-04-16T10:00-07:00 = 17:00Z: one transaction "
    "refund/success \"20.00\" = 2000, refund_line_items 1002 subtotal 2000 -> refunded 2000 with items [{1002, 2000}]. "
    "Evaluation at 04-17T00:00Z: every unit delivered -> DELIVERED; refunded_minor 2000, all on line 1002. Shopify has "
    "no single status (financial x fulfillment): platform.status null, raw_status \"partially_refunded/fulfilled\", not compared.",
    payload=shop(financial_status="partially_refunded", fulfillment_status="fulfilled",
                 fulfillments=[dict(FUL, shipment_status="delivered", updated_at="2025-04-14T11:00:00-07:00")],
                 refunds=[{"id": 7001, "created_at": "2025-04-16T10:00:00-07:00", "processed_at": "2025-04-16T10:00:00-07:00",
                           "refund_line_items": [{"line_item_id": 1002, "quantity": 1, "subtotal": "20.00", "restock_type": "return"}],
                           "transactions": [{"kind": "refund", "status": "success", "amount": "20.00"}]}]),
    now="2025-04-17T00:00:00Z",
    expected={"order": {"order_id": "9001", "market": "US", "buyer_id": "42", "currency": "USD", "total_minor": 4500,
                        "shipping_minor": 500,
                        "items": [{"line_id": "1001", "sku": "MUG", "name": "Mug", "qty": 2, "unit_price_minor": 1000},
                                  {"line_id": "1002", "sku": "LAMP", "name": "Lamp", "qty": 1, "unit_price_minor": 2000}],
                        "placed_at": "2025-04-08T16:00:00Z",
                        "platform": {"name": "shopify", "order_id": "9001", "status": None,
                                     "raw_status": "partially_refunded/fulfilled"},
                        "events": [{"type": "payment_succeeded", "at": "2025-04-08T16:00:00Z", "by": "platform"},
                                   {"type": "shipped", "at": "2025-04-09T18:00:00Z", "by": "seller", "package_id": "5001",
                                    "items": [{"line_id": "1001", "qty": 2}, {"line_id": "1002", "qty": 1}],
                                    "carrier": "USPS", "tracking_number": "9400"},
                                   {"type": "delivered", "at": "2025-04-14T18:00:00Z", "package_id": "5001"},
                                   {"type": "refunded", "at": "2025-04-16T17:00:00Z", "by": "seller",
                                    "items": [{"line_id": "1002", "amount_minor": 2000}], "amount_minor": 2000}]},
              "warnings": ["delivered_at_estimated"], "warning_paths": ["/fulfillments/0/shipment_status"],
              "evaluation": {"status": "DELIVERED", "facts": {"paid_minor": 4500, "refunded_minor": 2000},
                             "lines": [{"line_id": "1001", "refunded_minor": 0}, {"line_id": "1002", "refunded_minor": 2000}]},
              "evaluation_warnings": []})
S["s02_cancelled_by_customer"] = dict(
    why=SHOP_WHY + "financial_status voided (nothing captured): no payment. cancelled_at 2025-04-08T10:00-07:00 = "
    "17:00Z, cancel_reason customer -> cancelled by buyer, changed_mind (RULES Shopify table), buyer-responsible. CANCELLED.",
    payload=shop(financial_status="voided", cancelled_at="2025-04-08T10:00:00-07:00", cancel_reason="customer"),
    now="2025-04-09T00:00:00Z",
    expected={"order": {"events": [{"type": "cancelled", "at": "2025-04-08T17:00:00Z", "by": "buyer",
                                    "reason": "changed_mind", "platform_reason": "customer"}]},
              "warnings": [],
              "evaluation": {"status": "CANCELLED",
                             "cancelled": {"by": "buyer", "reason": "changed_mind", "responsibility": "buyer"}},
              "evaluation_warnings": []})
S["s03_partial_fulfillment_restock_cancel"] = dict(
    why=SHOP_WHY + "Paid at 16:00Z. Fulfillment 5001 ships line 1001 (2 units) at 04-09T18:00Z, shipment_status "
    "in_transit. Refund of 2025-04-10T10:00-07:00 = 17:00Z: line 1002 qty 1 restock_type cancel (refunded before it "
    "was fulfilled) -> a line cancellation of 1002 x 1 by seller at 17:00Z with reason restock_cancel (Shopify gives "
    "none: warning unknown_cancel_reason, the evaluation's anomaly unknown_reason), then refunded 2000 on 1002. "
    "1001 shipped, 1002 cancelled -> every unit not cancelled shipped -> IN_TRANSIT.",
    payload=shop(fulfillment_status="partial",
                 fulfillments=[dict(FUL, shipment_status="in_transit", line_items=[{"id": 1001, "quantity": 2}])],
                 refunds=[{"id": 7002, "created_at": "2025-04-10T10:00:00-07:00",
                           "refund_line_items": [{"line_item_id": 1002, "quantity": 1, "subtotal": "20.00", "restock_type": "cancel"}],
                           "transactions": [{"kind": "refund", "status": "success", "amount": "20.00"}]}]),
    now="2025-04-11T00:00:00Z",
    expected={"order": {"events": [{"type": "payment_succeeded"},
                                   {"type": "shipped", "at": "2025-04-09T18:00:00Z", "items": [{"line_id": "1001", "qty": 2}]},
                                   {"type": "cancelled", "at": "2025-04-10T17:00:00Z", "by": "seller",
                                    "reason": "restock_cancel", "items": [{"line_id": "1002", "qty": 1}]},
                                   {"type": "refunded", "at": "2025-04-10T17:00:00Z", "amount_minor": 2000}]},
              "warnings": ["unknown_cancel_reason"],
              "evaluation": {"status": "IN_TRANSIT", "facts": {"refunded_minor": 2000}},
              "anomalies_include": ["unknown_reason"]})
for name, v in S.items():
    v["platform"] = "shopify"
    V[name] = v
V["y01_shopify_price_decimals"] = dict(
    platform="shopify", why="price \"10.005\" has 3 decimals, USD 2: invalid_value, the pointer through the {order} envelope.",
    payload={"order": shop(line_items=[{"id": 1, "sku": "A", "quantity": 1, "price": "10.005"}])},
    expected={"error": {"code": "invalid_value", "path": "/order/line_items/0/price"}})

here = os.path.dirname(os.path.abspath(__file__))
for name, v in V.items():
    doc = {"name": name, "why": v["why"], "platform": v.get("platform", "tiktok"), "seller_id": "S-1", "payload": v["payload"]}
    if "now" in v: doc["now"] = v["now"]
    doc["expected"] = v["expected"]
    with open(os.path.join(here, name + ".json"), "w") as f:
        json.dump(doc, f, indent=2, ensure_ascii=False)
        f.write("\n")

#!/usr/bin/env python3
"""One-off migration of the evaluation/1 golden vectors (001-249) to
evaluation/2 (issue 13), kept for the record.

Each vector keeps its order, `now` and hand working; it is evaluated under the
market's policy/1 document as it was (tests/vectors/policies/<M>-v1.json), so
its values do not move (SPEC 3: a policy/1 document keeps its v1 behaviour).
Only the shape changes:
- schema evaluation/1 -> evaluation/2; flags.return_in_progress -> case_open;
- deadlines -> obligations + windows (docs/RULES.md "Obligations and windows"):
  payment, ship_by, cancel_request_response, delivery, return_response stay
  obligations (same due_at and state); dispatch_by is added before ship_by
  with ship_by's due_at and state (policy/1: dispatch_by = ship_by);
  remorse -> window free_cancellation (closes_at = its due_at; met -> used,
  missed -> closed, moot -> void, pending -> open); not_received_claim ->
  window (opens_at = its due_at; met -> void, pending -> upcoming, missed ->
  open or closed, moot -> void); return_window -> window return (closes_at;
  met -> used, missed -> closed, moot -> void, pending -> open); a
  cancel_request window (id only) once the order is confirmed, and a
  free_cancellation window (id only) for an order never confirmed.
A state this mapping cannot decide alone is checked by the test run and by
hand (the commit lists them).
"""
import json, os, sys
from collections import OrderedDict

here = os.path.dirname(os.path.abspath(__file__))
vdir = os.path.dirname(here)

def migrate(v):
    e = v.get('expected')
    if v.get('policy') in ('US', 'GB', 'ID'):
        v['policy'] = v['policy'] + '-v1'
    if e is None:
        return v
    if e.get('schema') == 'ordertrail.evaluation/1':
        e['schema'] = 'ordertrail.evaluation/2'
    fl = e.get('flags')
    if isinstance(fl, dict) and 'return_in_progress' in fl:
        new = OrderedDict()
        for k, x in fl.items():
            new['case_open' if k == 'return_in_progress' else k] = x
        e['flags'] = new
    if 'deadlines' not in e:
        return v
    dl = e['deadlines']
    obligations, windows = [], []
    by = {d['id']: d for d in dl}
    def obl(d, id_=None):
        o = OrderedDict()
        for k, x in d.items():
            if k == 'id':
                o['id'] = id_ or x
            elif k in ('due_at', 'state', 'calendar_covered'):
                o[k] = x
        return o
    for d in dl:
        if d['id'] == 'payment':
            obligations.append(obl(d))
        elif d['id'] == 'ship_by':
            obligations.append(obl(d, 'dispatch_by'))
            obligations.append(obl(d))
        elif d['id'] in ('cancel_request_response', 'delivery', 'return_response'):
            obligations.append(obl(d))
    confirmed = 'remorse' in by
    def win(id_, d, at_key, states):
        w = OrderedDict([('id', id_)])
        if d is not None:
            if 'due_at' in d:
                w[at_key] = d['due_at']
            if 'state' in d and states.get(d['state']):
                w['state'] = states[d['state']]
        return w
    windows.append(win('free_cancellation', by.get('remorse'), 'closes_at',
                       {'met': 'used', 'missed': 'closed', 'moot': 'void', 'pending': 'open'}))
    if confirmed:
        windows.append(OrderedDict([('id', 'cancel_request')]))
    if 'not_received_claim' in by:
        windows.append(win('not_received_claim', by['not_received_claim'], 'opens_at',
                           {'met': 'void', 'moot': 'void', 'pending': 'upcoming'}))
    if 'return_window' in by:
        windows.append(win('return', by['return_window'], 'closes_at',
                           {'met': 'used', 'missed': 'closed', 'moot': 'void', 'pending': 'open'}))
    out = OrderedDict()
    for k, x in e.items():
        if k == 'deadlines':
            out['obligations'] = obligations
            out['windows'] = windows
        else:
            out[k] = x
    v['expected'] = out
    return v

for f in sorted(os.listdir(vdir)):
    if not f.endswith('.json') or int(f[:3]) > 249:
        continue
    p = os.path.join(vdir, f)
    v = json.load(open(p), object_pairs_hook=OrderedDict)
    v = migrate(v)
    with open(p, 'w') as fh:
        json.dump(v, fh, indent=2, ensure_ascii=False)
        fh.write('\n')
# Second pass (same commit): a vector whose `expected` lists next_actions
# gets "next_actions_actors": ["buyer"] after `now`: it compares the buyer's
# next actions only (the seller's and support's came with /2).

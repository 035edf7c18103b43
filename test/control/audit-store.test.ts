import { describe, expect, it } from 'vitest';
import { createAuditStore, loadAudit } from '../../engine/control/audit-store.js';
import { openDatabase } from '../../engine/persistence/index.js';

const halt = { ts: 1_700_000_000_123.5, actor: 'token@127.0.0.1', action: 'trading-state', params: { state: 'HALTED', reason: 'venue down' }, ok: true, message: 'trading state HALTED' };
const refused = { ts: 1_700_000_000_200, actor: 'token@::1', action: 'cancel-order', params: { clientOrderId: 'r1-q-9' }, ok: false, message: 'no open order r1-q-9' };

describe('audit store', () => {
  it('keeps every entry of a run with who, what, when and the result, in the order written', () => {
    const db = openDatabase(':memory:');
    const store = createAuditStore(db, 3);
    store.append(halt);
    store.append(refused);
    expect(loadAudit(db, 3)).toEqual([
      { id: 1, runId: 3, ...halt },
      { id: 2, runId: 3, ...refused },
    ]);
    db.close();
  });

  it('loads the entries of one run, or of every run', () => {
    const db = openDatabase(':memory:');
    createAuditStore(db, 1).append(halt);
    createAuditStore(db, 2).append(refused);
    expect(loadAudit(db, 2).map((e) => e.action)).toEqual(['cancel-order']);
    expect(loadAudit(db).map((e) => e.runId)).toEqual([1, 2]);
    expect(loadAudit(db, 9)).toEqual([]);
    db.close();
  });

  it('stores the result as 0 or 1 and the params as JSON', () => {
    const db = openDatabase(':memory:');
    createAuditStore(db, 1).append(refused);
    expect(db.prepare(`SELECT ok, params_json FROM control_audit`).get()).toEqual({ ok: 0, params_json: '{"clientOrderId":"r1-q-9"}' });
    db.close();
  });
});

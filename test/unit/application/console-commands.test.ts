import { expect } from 'chai';
import { ConsoleCommands } from '../../../src/application/console/console-commands.js';
import type { AuditEntry } from '../../../src/application/contract/console.js';
import type { AuditTrail } from '../../../src/application/ports/audit-trail.port.js';
import { FixedClock } from '../../support/fixed-clock.js';
import { InMemoryAuditTrail } from '../../support/in-memory-audit-trail.js';
import { RecordingLogger } from '../../support/recording-logger.js';

const target = { action: 'retry', queueName: 'work', jobIds: ['7'], filter: null } as const;
const operator = { name: 'ci', role: 'operator' } as const;

function setup(readOnly = false) {
  const trail = new InMemoryAuditTrail();
  const logger = new RecordingLogger();
  const commands = new ConsoleCommands(
    trail,
    new FixedClock(Date.UTC(2026, 0, 2)),
    logger,
    readOnly,
  );
  return { trail, logger, commands };
}

describe(ConsoleCommands.name, () => {
  describe('.run', () => {
    it('should refuse a role too low without carrying the command out, and record it', async () => {
      const { trail, commands } = setup();
      let performed = false;
      const result = await commands.run({ name: 'v', role: 'viewer' }, target, () => {
        performed = true;
        return Promise.resolve({ done: true, value: null, count: 1 });
      });
      expect(performed).to.equal(false);
      expect(result.ok).to.equal(false);
      expect(!result.ok && result.refusal.code).to.equal('QW_FORBIDDEN_ROLE');
      expect(!result.ok && result.refusal.message).to.contain('needs the operator role');
      expect(trail.entries[0]).to.deep.include({ who: 'v', role: 'viewer', action: 'retry' });
      expect(trail.entries[0]?.outcome).to.include({
        status: 'refused',
        code: 'QW_FORBIDDEN_ROLE',
      });
    });

    it('should refuse everyone in read-only mode', async () => {
      const { trail, commands } = setup(true);
      const result = await commands.run({ name: 'root', role: 'admin' }, target, () =>
        Promise.resolve({ done: true, value: null, count: 1 }),
      );
      expect(!result.ok && result.refusal.code).to.equal('QW_READ_ONLY');
      expect(trail.entries[0]?.outcome).to.include({ code: 'QW_READ_ONLY' });
    });

    it('should record a done command with its count, when and the jobs it made', async () => {
      const { trail, logger, commands } = setup();
      const result = await commands.run(operator, target, () =>
        Promise.resolve({ done: true, value: 'ok', count: 1, jobIds: ['8'] }),
      );
      expect(result).to.deep.equal({ ok: true, value: 'ok' });
      const entry: AuditEntry | undefined = trail.entries[0];
      expect(entry).to.deep.include({
        at: '2026-01-02T00:00:00.000Z',
        who: 'ci',
        jobIds: ['7', '8'],
        outcome: { status: 'done', count: 1 },
      });
      expect(logger.lines.map((line) => line.message)).to.deep.equal(['console action']);
    });

    it('should record a refusal the command itself found (a state, a missing job)', async () => {
      const { trail, commands } = setup();
      const result = await commands.run(operator, target, () =>
        Promise.resolve({
          done: false,
          refusal: { code: 'QW_INVALID_STATE', message: 'it is active', state: 'active' },
        }),
      );
      expect(!result.ok && result.refusal).to.deep.include({ state: 'active' });
      expect(trail.entries[0]?.outcome).to.deep.equal({
        status: 'refused',
        code: 'QW_INVALID_STATE',
        reason: 'it is active',
      });
    });

    it('should record a command that failed, and let the failure through', async () => {
      const { trail, commands } = setup();
      let thrown: unknown = null;
      try {
        await commands.run(operator, target, () => Promise.reject(new Error('Redis went away')));
      } catch (error) {
        thrown = error;
      }
      expect((thrown as Error).message).to.equal('Redis went away');
      expect(trail.entries[0]?.outcome).to.deep.equal({
        status: 'failed',
        reason: 'Redis went away',
      });
    });

    it('should log, not throw, when the trail cannot take an entry', async () => {
      const refusing: AuditTrail = {
        append: () => Promise.reject(new Error('OOM')),
        recent: () => Promise.resolve([]),
      };
      const logger = new RecordingLogger();
      const commands = new ConsoleCommands(refusing, new FixedClock(0), logger, false);
      const result = await commands.run(operator, target, () =>
        Promise.resolve({ done: true, value: 1, count: 1 }),
      );
      expect(result.ok).to.equal(true);
      expect(logger.lines.map((line) => [line.level, line.message])).to.deep.equal([
        ['info', 'console action'],
        ['error', 'the audit trail did not take an entry; it is only in this log'],
      ]);
    });
  });

  describe('.me', () => {
    it('should say what a role may do, and nothing in read-only mode', () => {
      expect(setup().commands.me(operator).may).to.include('retry').and.not.include('remove');
      expect(setup(true).commands.me({ name: 'root', role: 'admin' })).to.deep.equal({
        name: 'root',
        role: 'admin',
        readOnly: true,
        may: [],
      });
    });
  });
});

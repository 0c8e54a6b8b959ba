import { expect } from 'chai';
import { matchesPath, matchesQuery, splitPath } from '../../../src/domain/console/job-match.js';

describe('job-match', () => {
  describe('.matchesPath', () => {
    const data = JSON.stringify({
      customer: { id: 42, code: '42', vip: true, note: null },
      items: [{ sku: 'A-1' }, { sku: 'B*2' }],
      'a.b': 1,
    });

    it('should find a string equal to the value', () => {
      expect(matchesPath(data, 'customer.code', '42')).to.equal(true);
      expect(matchesPath(data, 'items.1.sku', 'B*2')).to.equal(true);
    });

    it('should find a number, boolean or null by its JSON text', () => {
      expect(matchesPath(data, 'customer.id', '42')).to.equal(true);
      expect(matchesPath(data, 'customer.vip', 'true')).to.equal(true);
      expect(matchesPath(data, 'customer.note', 'null')).to.equal(true);
      expect(matchesPath(data, 'customer.id', '42.0')).to.equal(false);
    });

    it('should find an object by its exact JSON text', () => {
      expect(matchesPath(data, 'items.0', '{"sku":"A-1"}')).to.equal(true);
    });

    it('should accept a leading $. and read array indices only as whole numbers', () => {
      expect(matchesPath(data, '$.items.0.sku', 'A-1')).to.equal(true);
      expect(matchesPath(data, 'items.01.sku', 'B*2')).to.equal(false);
      expect(matchesPath(data, 'items.length', '2')).to.equal(false);
    });

    it('should find nothing at a path that is not there, or through a value that is not an object', () => {
      expect(matchesPath(data, 'customer.missing', 'x')).to.equal(false);
      expect(matchesPath(data, 'customer.id.deeper', '42')).to.equal(false);
      expect(matchesPath(data, 'customer.toString', 'x')).to.equal(false);
      expect(matchesPath(data, '__proto__', '{}')).to.equal(false);
    });

    it('should find nothing in data that is not JSON', () => {
      expect(matchesPath('not json {', 'a', 'b')).to.equal(false);
    });
  });

  describe('.splitPath', () => {
    it('should split on dots', () => {
      expect(splitPath('a.b.0')).to.deep.equal(['a', 'b', '0']);
      expect(splitPath('$.a')).to.deep.equal(['a']);
    });
  });

  describe('.matchesQuery', () => {
    const job = { name: 'Send-Email', data: '{"to":"a*b@x.io","n":[1]}' };

    it('should match a piece of the name in any case', () => {
      expect(matchesQuery(job, { name: 'email' })).to.equal(true);
      expect(matchesQuery(job, { name: 'sms' })).to.equal(false);
    });

    it('should take glob, regex and Lua pattern characters in the data as themselves', () => {
      expect(matchesQuery(job, { data: 'a*b@' })).to.equal(true);
      expect(matchesQuery(job, { data: '*' })).to.equal(true);
      expect(matchesQuery(job, { data: '?' })).to.equal(false);
      expect(matchesQuery(job, { data: '%a' })).to.equal(false);
      expect(matchesQuery(job, { data: '[1]' })).to.equal(true);
      expect(matchesQuery(job, { data: '.*' })).to.equal(false);
    });

    it('should need every part of the query to match', () => {
      expect(
        matchesQuery(job, { name: 'email', path: { path: 'to', value: 'a*b@x.io' } }),
      ).to.equal(true);
      expect(matchesQuery(job, { name: 'email', data: 'nothing' })).to.equal(false);
    });

    it('should not match a job without a name or data', () => {
      expect(matchesQuery({ name: null, data: null }, { name: 'a' })).to.equal(false);
      expect(matchesQuery({ name: null, data: null }, { data: 'a' })).to.equal(false);
    });
  });
});

import { describe, expect, it } from 'vitest';
import { healthDetector } from '../../src/screening/detectors/health.js';
import { ids, matched } from './helpers.js';

describe('health information', () => {
  it('finds identifiers only next to the word that names them, with their check digits', () => {
    expect(matched(healthDetector, 'MRN: 00482913')).toEqual(['00482913']);
    expect(matched(healthDetector, 'the NPI is 1234567893')).toEqual(['1234567893']);
    expect(ids(healthDetector, 'NPI 1234567890')).toEqual([]); // check digit wrong
    expect(matched(healthDetector, 'member ID: XYZ123456789')).toEqual(['XYZ123456789']);
    expect(matched(healthDetector, 'DEA number AB1234563')).toEqual(['AB1234563']);
    expect(ids(healthDetector, 'DEA number AB1234567')).toEqual([]);
    expect(ids(healthDetector, 'ticket 00482913')).toEqual([]);
  });

  it('finds a diagnosis or medication said of a person, not the words alone', () => {
    expect(ids(healthDetector, 'my wife was diagnosed with diabetes last year')).toEqual(['health_condition']);
    expect(ids(healthDetector, "I'm taking insulin twice a day")).toEqual(['health_condition']);
    expect(ids(healthDetector, 'the patient has hepatitis b')).toEqual(['health_condition']);
    expect(ids(healthDetector, 'my diabetes app crashes on start')).toEqual([]);
    expect(ids(healthDetector, 'we sell software to cancer clinics')).toEqual([]);
  });
});

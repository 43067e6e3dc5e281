import { describe, expect, it } from 'vitest';
import { pacedPayoffMs, pacedStepAnswers, stepSetupAnswers } from './ramp-rules';
import { StepAnswers } from './step-answers';

const windowMs = 200;

describe('step answers', () => {
  it("starts a step's window three answer times after the step once all its connections answered", () => {
    const steps = new StepAnswers(windowMs);
    steps.taken(1000);
    steps.heard(1010, 2);
    expect(steps.at).toBe(1000);
    expect(steps.windowAt).toBeNull();
    steps.heard(1020, 0);
    expect(steps.at).toBeNull();
    expect(steps.windowAt).toBe(1000 + stepSetupAnswers * 20);
  });

  it('leaves the window out when the answers take a window or more', () => {
    const slow = new StepAnswers(windowMs);
    slow.taken(1000);
    slow.heard(1100, 0);
    // Three answer times (300 ms) would start past a window after the step.
    expect(slow.at).toBeNull();
    expect(slow.windowAt).toBeNull();

    const silent = new StepAnswers(windowMs);
    silent.taken(1000);
    silent.heard(1199, 1);
    expect(silent.at).toBe(1000);
    silent.heard(1200, 1);
    expect(silent.at).toBeNull();
    expect(silent.windowAt).toBeNull();
  });

  it('pays a paced step back in four answer times, within a window and the paced payoff', () => {
    const steps = new StepAnswers(windowMs);
    expect(steps.pacedPayoffMs()).toBe(pacedPayoffMs);
    const payoffAfter = (answerMs: number): number => {
      steps.taken(0);
      steps.heard(answerMs, 0);
      return steps.pacedPayoffMs();
    };
    expect(pacedStepAnswers * 100).toBeLessThan(pacedPayoffMs);
    expect(payoffAfter(100)).toBe(pacedStepAnswers * 100);
    expect(payoffAfter(10)).toBe(windowMs);
    expect(payoffAfter(pacedPayoffMs)).toBe(pacedPayoffMs);
    // A new step forgets the last one's answers until its own come.
    steps.taken(2000);
    expect(steps.pacedPayoffMs()).toBe(pacedPayoffMs);
  });
});

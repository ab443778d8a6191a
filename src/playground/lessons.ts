/** The playground's guided path: each story with a question to answer first, the slider to move, and what to notice. */
import type { Knobs } from './knobs.js';

export interface Lesson {
  id: string;
  title: string;
  scenario: string;
  strategy: string;
  question: string;
  move: string;
  /** The knob the lesson asks to move, and the value the "try it" button sets. */
  knob: keyof Knobs | 'strategy';
  tryValue: number | string;
  notice: string;
}

export const LESSONS: readonly Lesson[] = [
  {
    id: 'ghost-post',
    title: 'The ghost post',
    scenario: 'ghost-post',
    strategy: 'none',
    question: 'A user posts, then refreshes from a replica ~300 ms behind. What share of refreshes miss the post?',
    move: 'Lag median (then pick strategy pin or token).',
    knob: 'lagMedianMs',
    tryValue: 1000,
    notice: 'Read-your-writes climbs with the lag median; pin and token bring it to 0 and the leader share shows what that costs.',
  },
  {
    id: 'counter-flip',
    title: 'The counter that goes 42 → 38 → 42',
    scenario: 'counter-flip',
    strategy: 'none',
    question: 'Two replicas lag differently. How often does a refresh show a smaller count than the one before?',
    move: 'Lag hold (how long a replica keeps its lag level).',
    knob: 'lagHoldMs',
    tryValue: 0,
    notice: 'Monotonic-read violations come from hopping between replicas at different positions; sticky routing or token track=session removes them.',
  },
  {
    id: 'qa-shards',
    title: 'The answer seen before its question',
    scenario: 'qa-shards',
    strategy: 'none',
    question: 'Question and answer live on different shards. Can a reader see the answer but not the question?',
    move: 'Strategy: token, then Token track = causal.',
    knob: 'tokenTrack',
    tryValue: 'causal',
    notice: 'Consistent-prefix violations need a causal dependency across shards; only track=causal carries it.',
  },
  {
    id: 'github-push',
    title: 'GitHub: pin after push',
    scenario: 'github-push',
    strategy: 'pin',
    question: 'After a push, the repo page is read from the leader for a window. How short can the window be?',
    move: 'Pin window.',
    knob: 'pinWindowMs',
    tryValue: 200,
    notice: 'A window shorter than the replica lag p99 lets read-your-writes violations back in; a longer one costs leader reads.',
  },
  {
    id: 'slack-sticky',
    title: 'Slack: sticky hashing and pin-after-post',
    scenario: 'slack-sticky',
    strategy: 'sticky',
    question: 'Sticky hashing keeps a user on one replica. Does that stop a user missing their own message?',
    move: 'Sticky pin after write.',
    knob: 'stickyPinAfterWriteMs',
    tryValue: 2000,
    notice: 'Sticky alone gives monotonic reads, not read-your-writes; pin-after-post closes the gap for the author.',
  },
  {
    id: 'black-friday',
    title: 'Black Friday: “order not found”',
    scenario: 'black-friday',
    strategy: 'none',
    question: 'Under load the replicas fall behind and some order pages say “order not found”. What fixes it without melting the leader?',
    move: 'Strategy: token (LSN routing), compare its leader share with pin.',
    knob: 'strategy',
    tryValue: 'token',
    notice: 'Token routing sends a read to any replica that has the order’s position, so the leader share stays small.',
  },
];

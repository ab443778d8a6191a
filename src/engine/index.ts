export { EventQueue } from './eventQueue.js';
export { Simulation, type EventHandler } from './simulation.js';
export { RandomStreams, type Uniform } from './random.js';

/**
 * A client entity: a MongoClient plus the events it was asked to observe, in the order the
 * driver emitted them. Fail point commands, ignored commands and sensitive commands never
 * reach the list (spec: Executing a Test).
 */
import { MongoClient } from 'mongodb';
import type { Document, MongoClientOptions } from 'mongodb';
import type { TestEnvironment } from './environment.js';
import { connectionString } from './common-options.js';
import { RunnerError } from './runner-error.js';

export type EventType = 'command' | 'cmap' | 'sdam';

export interface CapturedEvent {
  type: EventType;
  /** The unified format's name, e.g. commandStartedEvent. */
  name: string;
  event: Record<string, unknown>;
}

/** Unified format event name → [driver event name, type]. */
const driverEvents: Record<string, [string, EventType]> = {
  commandStartedEvent: ['commandStarted', 'command'],
  commandSucceededEvent: ['commandSucceeded', 'command'],
  commandFailedEvent: ['commandFailed', 'command'],
  poolCreatedEvent: ['connectionPoolCreated', 'cmap'],
  poolReadyEvent: ['connectionPoolReady', 'cmap'],
  poolClearedEvent: ['connectionPoolCleared', 'cmap'],
  poolClosedEvent: ['connectionPoolClosed', 'cmap'],
  connectionCreatedEvent: ['connectionCreated', 'cmap'],
  connectionReadyEvent: ['connectionReady', 'cmap'],
  connectionClosedEvent: ['connectionClosed', 'cmap'],
  connectionCheckOutStartedEvent: ['connectionCheckOutStarted', 'cmap'],
  connectionCheckOutFailedEvent: ['connectionCheckOutFailed', 'cmap'],
  connectionCheckedOutEvent: ['connectionCheckedOut', 'cmap'],
  connectionCheckedInEvent: ['connectionCheckedIn', 'cmap'],
  serverDescriptionChangedEvent: ['serverDescriptionChanged', 'sdam'],
  serverHeartbeatStartedEvent: ['serverHeartbeatStarted', 'sdam'],
  serverHeartbeatSucceededEvent: ['serverHeartbeatSucceeded', 'sdam'],
  serverHeartbeatFailedEvent: ['serverHeartbeatFailed', 'sdam'],
  topologyDescriptionChangedEvent: ['topologyDescriptionChanged', 'sdam'],
  topologyOpeningEvent: ['topologyOpening', 'sdam'],
  topologyClosedEvent: ['topologyClosed', 'sdam'],
  serverOpeningEvent: ['serverOpening', 'sdam'],
  serverClosedEvent: ['serverClosed', 'sdam'],
};

/** Command Logging and Monitoring §Security. */
const sensitiveCommands = new Set([
  'authenticate',
  'saslStart',
  'saslContinue',
  'getnonce',
  'createUser',
  'updateUser',
  'copydbgetnonce',
  'copydbsaslstart',
  'copydb',
]);
const helloCommands = new Set(['hello', 'ismaster', 'isMaster']);

function isEmptyDocument(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

export class ClientEntity {
  readonly client: MongoClient;
  readonly events: CapturedEvent[] = [];
  /** Connections checked out right now, from CMAP events (assertNumberConnectionsCheckedOut). */
  checkedOutConnections = 0;
  private capturing = true;
  private readonly ignoredCommands: Set<string>;
  private readonly observeSensitiveCommands: boolean;

  constructor(description: Document, environment: TestEnvironment) {
    // Nothing beyond monitorCommands: options given here would override the file's uriOptions.
    const options: MongoClientOptions = { monitorCommands: true };
    if (description['serverApi'] !== undefined)
      options.serverApi = description['serverApi'] as MongoClientOptions['serverApi'];
    this.client = new MongoClient(
      connectionString(environment.uri, description['uriOptions'] as Document),
      options,
    );
    this.ignoredCommands = new Set([
      'configureFailPoint',
      ...((description['ignoreCommandMonitoringEvents'] as string[]) ?? []),
    ]);
    this.observeSensitiveCommands = description['observeSensitiveCommands'] === true;
    this.client.on('commandFailed', (event) =>
      environment.unsupported.record(event.commandName, event.failure),
    );
    this.client.on('commandSucceeded', (event) =>
      environment.unsupported.recordReply(event.commandName, event.reply),
    );
    this.client.on('connectionCheckedOut', () => this.checkedOutConnections++);
    this.client.on('connectionCheckedIn', () => this.checkedOutConnections--);
    for (const name of (description['observeEvents'] as string[] | undefined) ?? [])
      this.observe(name);
    for (const unsupported of ['storeEventsAsEntities', 'observeLogMessages', 'autoEncryptOpts']) {
      if (description[unsupported] !== undefined)
        throw new RunnerError(`runner lacks client ${unsupported}`);
    }
  }

  private observe(name: string): void {
    const mapping = driverEvents[name];
    if (mapping === undefined) throw new RunnerError(`runner cannot observe ${name}`);
    const [driverName, type] = mapping;
    this.client.on(driverName as 'commandStarted', (event: unknown) => {
      const fields = event as Record<string, unknown>;
      if (!this.capturing || (type === 'command' && this.isIgnored(fields))) return;
      this.events.push({ type, name, event: fields });
    });
  }

  private isIgnored(event: Record<string, unknown>): boolean {
    const commandName = String(event['commandName']);
    if (this.ignoredCommands.has(commandName)) return true;
    if (this.observeSensitiveCommands) return false;
    if (sensitiveCommands.has(commandName)) return true;
    // hello with speculativeAuthenticate is sensitive; the driver shows it redacted (empty).
    return (
      helloCommands.has(commandName) &&
      (isEmptyDocument(event['command']) || isEmptyDocument(event['reply']))
    );
  }

  eventsOfType(type: EventType): CapturedEvent[] {
    return this.events.filter((event) => event.type === type);
  }

  stopCapturing(): void {
    this.capturing = false;
  }

  async close(): Promise<void> {
    this.stopCapturing();
    await this.client.close();
  }
}

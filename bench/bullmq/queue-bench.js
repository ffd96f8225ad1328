// BullMQ side of the queue-engine benchmark (bench/README.md): add -> worker picks up -> completes, no-op work.
// usage: node queue-bench.js redis://127.0.0.1:6379/<db> <jobs> <concurrency> <adds in flight>
'use strict';
const { Queue, Worker } = require('bullmq');
const IORedis = require('ioredis');

const [url, jobsArg, concurrencyArg, inFlightArg] = process.argv.slice(2);
const jobs = Number(jobsArg || 20000);
const concurrency = Number(concurrencyArg || 10);
const inFlight = Number(inFlightArg || 24);
const name = 'premium-bench';
const jobOptions = { removeOnComplete: true, removeOnFail: true };

function connection() {
  return new IORedis(url, { maxRetriesPerRequest: null });
}

function payload(i) {
  return {
    orderId: 'B' + String(i).padStart(7, '0'), attempt: 1, enqueuedAt: new Date().toISOString(),
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  };
}

async function enqueue(queue, count) {
  const data = Array.from({ length: count }, (_, i) => payload(i));
  let next = 0;
  const lanes = Array.from({ length: inFlight }, async () => {
    while (next < count) {
      const i = next++;
      await queue.add('deliver', data[i], jobOptions);
    }
  });
  await Promise.all(lanes);
}

function consume(count) {
  return new Promise((resolve, reject) => {
    let done = 0;
    const worker = new Worker(name, async () => undefined, { connection: connection(), concurrency, autorun: false });
    worker.on('completed', () => {
      done += 1;
      if (done === count) {
        resolve(worker);
      }
    });
    worker.on('error', reject);
    worker.run().catch(reject);
  });
}

async function main() {
  const queue = new Queue(name, { connection: connection() });
  await queue.obliterate({ force: true });

  let t0 = process.hrtime.bigint();
  await enqueue(queue, jobs);
  const enqueueRate = jobs / (Number(process.hrtime.bigint() - t0) / 1e9);

  t0 = process.hrtime.bigint();
  let worker = await consume(jobs);
  const drainRate = jobs / (Number(process.hrtime.bigint() - t0) / 1e9);
  await worker.close();
  await queue.obliterate({ force: true });

  t0 = process.hrtime.bigint();
  const consumed = consume(jobs);
  await enqueue(queue, jobs);
  worker = await consumed;
  const bothRate = jobs / (Number(process.hrtime.bigint() - t0) / 1e9);
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();

  const fmt = (r) => String(Math.round(r)).padStart(8);
  console.log(`bullmq ${require('bullmq/package.json').version.padEnd(19)}:  enqueue ${fmt(enqueueRate)} jobs/s | ` +
    `claim+ack (drain) ${fmt(drainRate)} jobs/s | enqueue→claim→ack concurrently ${fmt(bothRate)} jobs/s`);
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });

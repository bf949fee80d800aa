/**
 * The tools application teams use, unchanged: mongodb-memory-server starting shoald as
 * its "system binary" instead of downloading mongod, and mongoose models on top.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { MongoMemoryServer } from 'mongodb-memory-server-core';
import mongoose from 'mongoose';
import { repositoryRoot } from '../helpers/server-process.js';

const shoaldBinary = join(repositoryRoot, 'bin', 'shoald.js');

describe('mongodb-memory-server with shoald as its mongod', () => {
  let server: MongoMemoryServer;

  before(async () => {
    server = await MongoMemoryServer.create({
      binary: { systemBinary: shoaldBinary, version: '7.0.14', checkMD5: false },
      instance: { storageEngine: 'wiredTiger' },
    });
  });

  after(async () => {
    await mongoose.disconnect();
    await server.stop();
  });

  test('starts, hands out a URI, and mongoose models work against it', async () => {
    const uri = server.getUri();
    assert.match(uri, /^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
    await mongoose.connect(uri, { dbName: 'ecosystem' });
    const userSchema = new mongoose.Schema({
      name: { type: String, required: true, index: true },
      age: { type: Number, min: 0 },
      tags: [String],
      createdAt: { type: Date, default: () => new Date() },
    });
    const postSchema = new mongoose.Schema({
      title: String,
      author: { type: mongoose.Schema.Types.ObjectId, ref: 'User' },
    });
    const User = mongoose.model('User', userSchema);
    const Post = mongoose.model('Post', postSchema);
    await User.init();

    const ada = await User.create({ name: 'Ada', age: 36, tags: ['math'] });
    await User.create([
      { name: 'Bob', age: 25 },
      { name: 'Cy', age: 41, tags: ['art', 'math'] },
    ]);
    await Post.create({ title: 'Notes', author: ada._id });

    const adults = await User.find({ age: { $gte: 30 } })
      .sort({ age: 1 })
      .lean();
    assert.deepEqual(
      adults.map((user) => user.name),
      ['Ada', 'Cy'],
    );
    await User.updateOne({ name: 'Bob' }, { $inc: { age: 1 }, $push: { tags: 'new' } });
    const bob = await User.findOne({ name: 'Bob' }).lean();
    assert.equal(bob?.age, 26);
    assert.deepEqual(bob?.tags, ['new']);
    const post = await Post.findOne({ title: 'Notes' }).populate('author').lean();
    assert.equal((post?.author as unknown as { name: string }).name, 'Ada');
    assert.equal(await User.countDocuments({ tags: 'math' }), 2);
    await assert.rejects(
      User.create({ age: -1 }),
      (error: Error) => error.name === 'ValidationError',
    );
    const indexes = await User.collection.indexes();
    assert.ok(
      indexes.some((index) => index.name === 'name_1'),
      'mongoose created its index',
    );
    const removed = await User.deleteMany({ age: { $lt: 30 } });
    assert.equal(removed.deletedCount, 1);
  });
});

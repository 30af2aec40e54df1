"""A word-level LSTM language model on Penn Treebank-format text, written for this repository with the TensorFlow 1.x
calls of TensorFlow's PTB tutorial (tutorials/rnn/ptb of tensorflow/models, see README.md): flags, a GPU count from
device_lib, tf.contrib.rnn cells (BasicLSTMCell, DropoutWrapper, MultiRNNCell) unrolled by hand with variable
reuse, xw_plus_b logits and tf.contrib.seq2seq.sequence_loss, clipped gradient descent with a decaying learning
rate, a meta graph exported with its state tensors in collections and imported into a fresh graph, and training in
tf.train.Supervisor's managed session.

    python ptb_lm.py --data_path DIR [--model tiny|small|dropout] [--save_path PREFIX] [--num_gpus 0]
"""

import time

import numpy as np
import tensorflow as tf
from tensorflow.core.framework import variable_pb2
from tensorflow.python.client import device_lib

import ptb_reader

flags = tf.flags
flags.DEFINE_string("model", "tiny", "tiny, small or dropout.")
flags.DEFINE_string("data_path", None, "Directory of ptb.train.txt, ptb.valid.txt and ptb.test.txt.")
flags.DEFINE_string("save_path", None, "Checkpoint prefix to save the trained model under.")
flags.DEFINE_integer("num_gpus", 0, "GPUs to use (0: the CPU).")
flags.DEFINE_string("rnn_mode", "basic", "The LSTM cell: basic (BasicLSTMCell).")
FLAGS = flags.FLAGS


class TinyConfig(object):
    init_scale = 0.1
    learning_rate = 1.0
    max_grad_norm = 1
    num_layers = 1
    num_steps = 2
    hidden_size = 2
    max_epoch = 1
    max_max_epoch = 1
    keep_prob = 1.0
    lr_decay = 0.5
    batch_size = 20
    vocab_size = 100


class SmallConfig(TinyConfig):
    max_grad_norm = 5
    num_layers = 2
    num_steps = 5
    hidden_size = 8
    max_max_epoch = 2
    batch_size = 4


class DropoutConfig(SmallConfig):
    init_scale = 0.05
    keep_prob = 0.5
    lr_decay = 0.8


CONFIGS = {"tiny": TinyConfig, "small": SmallConfig, "dropout": DropoutConfig}


class Input(object):
    def __init__(self, config, ids, name):
        self.batch_size, self.num_steps = config.batch_size, config.num_steps
        self.epoch_size = (len(ids) // self.batch_size - 1) // self.num_steps
        self.inputs, self.targets = ptb_reader.windows(ids, self.batch_size, self.num_steps, name=name)


class LanguageModel(object):
    def __init__(self, name, training, config, data):
        self.name, self.training, self.data = name, training, data
        size = config.hidden_size
        with tf.device("/cpu:0"):
            embedding = tf.get_variable("embedding", [config.vocab_size, size])
            inputs = tf.nn.embedding_lookup(embedding, data.inputs)
        if training and config.keep_prob < 1:
            inputs = tf.nn.dropout(inputs, config.keep_prob)

        def lstm():
            cell = tf.contrib.rnn.BasicLSTMCell(size, forget_bias=0.0, state_is_tuple=True, reuse=not training)
            if training and config.keep_prob < 1:
                cell = tf.contrib.rnn.DropoutWrapper(cell, output_keep_prob=config.keep_prob)
            return cell

        cell = tf.contrib.rnn.MultiRNNCell([lstm() for _ in range(config.num_layers)], state_is_tuple=True)
        self.initial_state = state = cell.zero_state(data.batch_size, tf.float32)
        outputs = []
        with tf.variable_scope("RNN"):
            for step in range(data.num_steps):
                if step:
                    tf.get_variable_scope().reuse_variables()
                output, state = cell(inputs[:, step, :], state)
                outputs.append(output)
        self.final_state = state
        output = tf.reshape(tf.concat(outputs, 1), [-1, size])
        logits = tf.nn.xw_plus_b(output, tf.get_variable("softmax_w", [size, config.vocab_size]),
                                 tf.get_variable("softmax_b", [config.vocab_size]))
        logits = tf.reshape(logits, [data.batch_size, data.num_steps, config.vocab_size])
        loss = tf.contrib.seq2seq.sequence_loss(logits, data.targets, tf.ones([data.batch_size, data.num_steps]),
                                                average_across_timesteps=False, average_across_batch=True)
        self.cost = tf.reduce_sum(loss)
        if training:
            self.lr = tf.Variable(0.0, trainable=False)
            variables = tf.trainable_variables()
            grads, _ = tf.clip_by_global_norm(tf.gradients(self.cost, variables), config.max_grad_norm)
            tf.train.GradientDescentOptimizer(self.lr).apply_gradients(
                zip(grads, variables), global_step=tf.train.get_or_create_global_step())
            self.new_lr = tf.placeholder(tf.float32, [], name="new_learning_rate")
            self.lr_update = tf.assign(self.lr, self.new_lr)

    def export(self):
        """Names this model's tensors in collections, so that they survive export_meta_graph/import_meta_graph."""
        tf.add_to_collection(self.name + "/cost", self.cost)
        if self.training:
            for key in ("lr", "new_lr", "lr_update"):
                tf.add_to_collection(key, getattr(self, key))
        for kind, states in (("initial", self.initial_state), ("final", self.final_state)):
            for state in states:
                tf.add_to_collection("%s/%s" % (self.name, kind), state.c)
                tf.add_to_collection("%s/%s" % (self.name, kind), state.h)

    def reimport(self):
        """The same tensors in the graph import_meta_graph made."""
        self.cost = tf.get_collection_ref(self.name + "/cost")[0]
        if self.training:
            self.train_op = tf.get_collection_ref(tf.GraphKeys.TRAIN_OP)[0]
            self.lr, self.new_lr, self.lr_update = [tf.get_collection_ref(k)[0] for k in ("lr", "new_lr", "lr_update")]
        for kind in ("initial", "final"):
            flat = tf.get_collection_ref("%s/%s" % (self.name, kind))
            states = tuple(tf.contrib.rnn.LSTMStateTuple(flat[i], flat[i + 1]) for i in range(0, len(flat), 2))
            setattr(self, kind + "_state", states)


def run_epoch(session, model, train=False, verbose=False):
    """The model's perplexity over one pass of its data, the LSTM state carried from window to window."""
    start, costs, steps = time.time(), 0.0, 0
    state = session.run(model.initial_state)
    fetches = {"cost": model.cost, "final_state": model.final_state}
    if train:
        fetches["train"] = model.train_op
    for step in range(model.data.epoch_size):
        feed = {}
        for i, (c, h) in enumerate(model.initial_state):
            feed[c], feed[h] = state[i].c, state[i].h
        values = session.run(fetches, feed)
        state = values["final_state"]
        costs += values["cost"]
        steps += model.data.num_steps
        if verbose and step % (model.data.epoch_size // 10) == 10:
            print("%.3f perplexity: %.3f speed: %.0f wps" % (step / model.data.epoch_size, np.exp(costs / steps),
                                                            steps * model.data.batch_size / (time.time() - start)))
    return np.exp(costs / steps)


def main(_):
    if not FLAGS.data_path:
        raise ValueError("Must set --data_path to the PTB data directory")
    gpus = [d.name for d in device_lib.list_local_devices() if d.device_type == "GPU"]
    if FLAGS.num_gpus > len(gpus):
        raise ValueError("Your machine has only %d gpus which is less than the requested --num_gpus=%d."
                         % (len(gpus), FLAGS.num_gpus))
    if FLAGS.rnn_mode != "basic":
        raise ValueError("rnn_mode %s not supported" % FLAGS.rnn_mode)
    train_ids, valid_ids, test_ids, _ = ptb_reader.corpus(FLAGS.data_path)
    config = CONFIGS[FLAGS.model]()
    eval_config = CONFIGS[FLAGS.model]()
    eval_config.batch_size = eval_config.num_steps = 1

    with tf.Graph().as_default():
        initializer = tf.random_uniform_initializer(-config.init_scale, config.init_scale)
        models = []
        for name, cfg, ids, training in (("Train", config, train_ids, True), ("Valid", config, valid_ids, False),
                                         ("Test", eval_config, test_ids, False)):
            with tf.name_scope(name):
                data = Input(cfg, ids, name=name + "Input")
                with tf.variable_scope("Model", reuse=None if training else True, initializer=initializer):
                    models.append(LanguageModel(name, training, cfg, data))
                tf.summary.scalar(name + " Loss", models[-1].cost)
        for model in models:
            model.export()
        metagraph = tf.train.export_meta_graph()
    variable_names = []
    for value in metagraph.collection_def[tf.GraphKeys.TRAINABLE_VARIABLES].bytes_list.value:
        variable_def = variable_pb2.VariableDef()
        variable_def.ParseFromString(value)
        variable_names.append(variable_def.variable_name)
    print("Trainable: %s" % " ".join(variable_names))

    with tf.Graph().as_default():
        tf.train.import_meta_graph(metagraph)
        for model in models:
            model.reimport()
        train, valid, test = models
        sv = tf.train.Supervisor(logdir=FLAGS.save_path)
        with sv.managed_session(config=tf.ConfigProto(allow_soft_placement=False)) as session:
            for i in range(config.max_max_epoch):
                lr_decay = config.lr_decay ** max(i + 1 - config.max_epoch, 0.0)
                session.run(train.lr_update, {train.new_lr: config.learning_rate * lr_decay})
                print("Epoch: %d Learning rate: %.3f" % (i + 1, session.run(train.lr)))
                print("Epoch: %d Train Perplexity: %.3f" % (i + 1, run_epoch(session, train, True, True)))
                print("Epoch: %d Valid Perplexity: %.3f" % (i + 1, run_epoch(session, valid)))
            print("Test Perplexity: %.3f" % run_epoch(session, test))
            if FLAGS.save_path:
                print("Saving model to %s." % FLAGS.save_path)
                sv.saver.save(session, FLAGS.save_path, global_step=sv.global_step)


if __name__ == "__main__":
    tf.app.run()

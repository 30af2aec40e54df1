"""seeds/000's listings in one program: fit y = 0.1 x + 0.3 by gradient descent under name scopes, watch it in
TensorBoard, checkpoint it, restore it, and export its graph. The code is TF1's, except the last lines, which
draw the graph with minitf's exporter (name scopes as clusters).

Run:  python examples/linear_regression.py [OUTPUT_DIR]      (default: runs/linear_regression)
Then: tensorboard --logdir runs/linear_regression/tb
"""
import os
import shutil
import sys

import numpy as np

import minitf as tf

out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join("runs", "linear_regression")
tb_dir = os.path.join(out_dir, "tb")
ckpt_dir = os.path.join(out_dir, "checkpoint")

graph = tf.Graph()
with graph.as_default():
    tf.set_random_seed(1)  # with this seed TensorFlow draws the same initial weight, so the rounds print alike
    x_data = np.linspace(0, 1, 100).astype(np.float32)
    y_data = x_data * 0.1 + 0.3

    with tf.name_scope('linear'):
        weight = tf.Variable(tf.random_uniform(shape=[1], minval=-1.0, maxval=1.0),
                             dtype=np.float32, name='weight')
        tf.summary.histogram('linear_weight', weight)
        bias = tf.Variable(tf.zeros(shape=[1]), dtype=np.float32, name='bias')
        tf.summary.histogram('linear_bias', bias)
        y = weight * x_data + bias

    with tf.name_scope('gradient_descent'):
        loss = tf.reduce_mean(tf.square(y - y_data), name='loss')
        tf.summary.scalar('linear_loss', loss)
        optimizer = tf.train.GradientDescentOptimizer(0.5)
        training = optimizer.minimize(loss)

    init = tf.global_variables_initializer()
    merge = tf.summary.merge_all()
    saver = tf.train.Saver(max_to_keep=2)

with tf.Session(graph=graph) as sess:
    writer = tf.summary.FileWriter(tb_dir, graph)
    sess.run(init)
    for step in range(101):
        if step % 2 == 0:
            writer.add_summary(sess.run(merge), step)
        sess.run(training)
        if step % 20 == 0:
            w, b = sess.run([weight, bias])  # fetch the variables: indexing them here would add ops to the graph
            print('Round {}, weight: {}, bias: {}'.format(step, w[0], b[0]))
            saver.save(sess, os.path.join(ckpt_dir, 'linear.ckpt'), global_step=step)
    writer.close()

# A new session starts from the last checkpoint (max_to_keep=2 left only the last two on disk).
with tf.Session(graph=graph) as sess:
    latest = tf.train.latest_checkpoint(ckpt_dir)
    saver.restore(sess, latest)
    w, b = sess.run([weight, bias])
    print('Restored {}: weight {}, bias {}'.format(os.path.basename(latest), w[0], b[0]))

print('Checkpoint files:', ' '.join(sorted(os.listdir(ckpt_dir))))
print('Graph (pbtxt):', tf.train.write_graph(graph, out_dir, 'graph.pbtxt'))
print('TensorBoard logs:', tb_dir)

from minitf.tools import graph_export  # noqa: E402 -- minitf's own addition

picture = os.path.join(out_dir, 'graph.svg' if shutil.which('dot') else 'graph.dot')  # SVG needs graphviz's dot
print('Graph picture:', graph_export.render(graph, picture, collapse=['gradient_descent/gradients']))
if not shutil.which('dot'):
    print('  (graphviz\'s dot program is not installed, so the graph was written as DOT source: install graphviz, '
          'e.g. apt-get install graphviz or brew install graphviz, and run again for graph.svg)')

"""Draws the pictures in docs/guide.md with minitf's exporter (needs graphviz's dot).

    python tools/make_doc_images.py
"""
import os

import numpy as np

import minitf as tf
from minitf.tools import graph_export

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "docs", "img")


def seed000_graph():
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(1)
        x_data = np.linspace(0, 1, 100).astype(np.float32)
        y_data = x_data * 0.1 + 0.3
        with tf.name_scope("linear"):
            weight = tf.Variable(tf.random_uniform(shape=[1], minval=-1.0, maxval=1.0), name="weight")
            bias = tf.Variable(tf.zeros(shape=[1]), name="bias")
            y = weight * x_data + bias
        with tf.name_scope("gradient_descent"):
            loss = tf.reduce_mean(tf.square(y - y_data), name="loss")
            tf.train.GradientDescentOptimizer(0.5).minimize(loss, name="train")
        tf.global_variables_initializer()
    return graph


def main():
    os.makedirs(OUT, exist_ok=True)
    graph = seed000_graph()
    graph_export.render(graph, os.path.join(OUT, "seed000_scopes.svg"), depth=1)
    graph_export.render(graph, os.path.join(OUT, "seed000_full.svg"), collapse=["gradient_descent/gradients"])
    with graph.as_default(), tf.Session() as sess:
        sess.run("init")
        metadata = tf.RunMetadata()
        sess.run("gradient_descent/train", options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE),
                 run_metadata=metadata)
    graph_export.render(graph, os.path.join(OUT, "seed000_time.svg"), run_metadata=metadata, show_aux=False)
    print("wrote", sorted(os.listdir(OUT)))


if __name__ == "__main__":
    main()

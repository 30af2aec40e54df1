"""``tf.gfile``: file-system helpers over the local file system, with TensorFlow's error classes."""

import os
import shutil

from minitf.framework import errors


def _not_found(path, reason="No such file or directory"):
    return errors.NotFoundError(None, None, f"{path}; {reason}")


def Exists(filename):
    return os.path.exists(filename)


def IsDirectory(dirname):
    return os.path.isdir(dirname)


def MakeDirs(dirname):
    os.makedirs(dirname, exist_ok=True)


def MkDir(dirname):
    os.makedirs(dirname, exist_ok=True)


def ListDirectory(dirname):
    if not os.path.isdir(dirname):
        raise errors.NotFoundError(None, None, f"Could not find directory {dirname}")
    return os.listdir(dirname)


def Glob(filename):
    import glob  # imported on first use
    return glob.glob(filename)


def Remove(filename):
    try:
        os.remove(filename)
    except FileNotFoundError:
        raise _not_found(filename) from None


def DeleteRecursively(dirname):
    if not os.path.exists(dirname):
        raise errors.NotFoundError(None, None, f"{dirname} not found")
    if os.path.isdir(dirname):
        shutil.rmtree(dirname)
    else:
        os.remove(dirname)


def _check_target(newname, overwrite):
    if not overwrite and os.path.exists(newname):
        raise errors.AlreadyExistsError(None, None, "file already exists")


def Rename(oldname, newname, overwrite=False):
    _check_target(newname, overwrite)
    try:
        os.replace(oldname, newname)
    except FileNotFoundError:
        raise _not_found(oldname) from None


def Copy(oldpath, newpath, overwrite=False):
    _check_target(newpath, overwrite)
    try:
        shutil.copyfile(oldpath, newpath)
    except FileNotFoundError:
        raise _not_found(oldpath) from None


def Stat(filename):
    try:
        return os.stat(filename)
    except FileNotFoundError:
        raise _not_found(filename) from None


def Walk(top, in_order=True):
    for root, dirs, files in os.walk(top, topdown=in_order):
        yield root, dirs, files


class GFile:
    """``tf.gfile.GFile(name, mode='r')``: a file object; text modes read ``str``, binary modes ``bytes``."""

    def __init__(self, name, mode="r"):
        try:
            self._file = open(name, mode)
        except FileNotFoundError:
            raise _not_found(name) from None
        self.name = name

    def __getattr__(self, attr):
        return getattr(self._file, attr)

    def __iter__(self):
        return iter(self._file)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._file.close()


Open = GFile
FastGFile = GFile

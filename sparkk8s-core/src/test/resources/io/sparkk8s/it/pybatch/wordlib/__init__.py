"""The module PythonBatchE2E ships in a pyFiles zip."""


def normalise(word):
    return word.strip(".,;:!?").lower()


def where():
    # The zip's path, as Python imported it: proves the module came from pyFiles.
    return "zip" if ".zip" in __file__ else __file__

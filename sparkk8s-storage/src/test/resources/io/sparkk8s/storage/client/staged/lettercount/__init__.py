"""The module StagedJobsE2E stages in a pyFiles zip."""


def initial(word):
    return word[0].upper()


def origin():
    # Where Python imported this module from: a zip proves it came through pyFiles.
    return "zip" if ".zip" in __file__ else __file__

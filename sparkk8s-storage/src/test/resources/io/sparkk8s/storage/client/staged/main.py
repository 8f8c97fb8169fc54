# A Python job for StagedJobsE2E, staged from the test's disk to a bucket with everything it needs:
# this file, its module (lettercount, in a zip given as pyFiles) and its data (letters.txt, in files).
# The executors run lettercount.initial, imported from the zip Spark shipped them.
import sys

from pyspark import SparkFiles
from pyspark.sql import SparkSession

import lettercount

spark = SparkSession.builder.appName("staged-python").getOrCreate()
with open(SparkFiles.get("letters.txt"), encoding="utf-8") as f:
    words = f.read().split()
initials = spark.sparkContext.parallelize(words, 2).map(lettercount.initial).countByValue()
print("STAGED-PYTHON token=%s from=%s initials=%s" % (
    sys.argv[1], lettercount.origin(),
    ",".join("%s:%d" % kv for kv in sorted(initials.items()))))
spark.stop()

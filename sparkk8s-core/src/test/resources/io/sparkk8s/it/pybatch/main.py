# A Python batch job for PythonBatchE2E: its module comes from pyFiles (a zip), its data from files.
# The word count runs on the executors, which import wordlib from the zip Spark shipped to them.
from pyspark import SparkFiles
from pyspark.sql import SparkSession

import wordlib

spark = SparkSession.builder.appName("pybatch").getOrCreate()
with open(SparkFiles.get("words.txt"), encoding="utf-8") as f:
    words = f.read().split()
counts = spark.sparkContext.parallelize(words, 4).map(wordlib.normalise).countByValue()
print("PYBATCH spark=%s where=%s counts=%s" % (
    spark.version, wordlib.where(), ",".join("%s:%d" % kv for kv in sorted(counts.items()))))
spark.stop()

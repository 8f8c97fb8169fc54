# DynamicAllocationE2E's job: a shuffle whose map stage needs more executors than the job starts
# with (twelve tasks of three seconds), a second action that reuses that shuffle, then idle time in
# which dynamic allocation gives the executors back. Prints what it did as "DA ..." lines.
import json
import sys
import time
import urllib.request

from pyspark.sql import SparkSession

spark = SparkSession.builder.appName("dynalloc").getOrCreate()
sc = spark.sparkContext


def slow(rows):
    time.sleep(3)
    return rows


counts = (sc.parallelize(range(12000), 12).mapPartitions(slow)
          .map(lambda x: (x % 10, 1)).reduceByKey(lambda a, b: a + b, 4))
print("DA first=%d" % counts.count(), flush=True)
# The second action reads the first one's shuffle output: its map stage is skipped, not run again.
print("DA second=%d" % counts.values().sum(), flush=True)
url = "%s/api/v1/applications/%s/stages" % (sc.uiWebUrl, sc.applicationId)
stages = json.load(urllib.request.urlopen(url, timeout=10))
print("DA stages=%s" % ",".join(sorted(s["status"] for s in stages)), flush=True)


def executors():
    # getExecutorMemoryStatus counts the driver too.
    return sc._jsc.sc().getExecutorMemoryStatus().size() - 1


start = time.time()
while executors() > 0 and time.time() - start < float(sys.argv[1]):
    time.sleep(1)
print("DA idle executors=%d after=%ds" % (executors(), time.time() - start), flush=True)
spark.stop()

# Run by ClusterNetworkingE2E as a PySpark application in cluster mode. Each task runs in an executor pod
# and reports, from there: what cluster DNS answers for kubernetes.default.svc and for the driver's
# headless Service, and whether a TCP connection to the driver's RPC port through that Service opens.
import os
import socket

from pyspark.sql import SparkSession

spark = SparkSession.builder.appName("dns-probe").getOrCreate()
sc = spark.sparkContext
driver_host = sc.getConf().get("spark.driver.host")
driver_port = int(sc.getConf().get("spark.driver.port"))


def probe(_):
    api = socket.gethostbyname("kubernetes.default.svc")
    driver = socket.gethostbyname(driver_host)
    with socket.create_connection((driver_host, driver_port), timeout=10):
        pass
    yield "executor=%s kubernetes.default.svc=%s %s=%s connect=ok" % (socket.gethostname(), api, driver_host, driver)


for line in sorted(set(sc.parallelize(range(16), 16).mapPartitions(probe).collect())):
    print("DNS-PROBE " + line)
print("DRIVER-POD-IP " + os.environ.get("SPARK_DRIVER_BIND_ADDRESS", ""))
spark.stop()

package io.sparkk8s.internal.kube;

import io.sparkk8s.SparkKubernetes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The client's one logger, named after {@link SparkKubernetes}, for every part of it. */
final class Log {
  static final Logger LOG = LoggerFactory.getLogger(SparkKubernetes.class);

  private Log() {}
}

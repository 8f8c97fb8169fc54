package io.sparkk8s.storage;

/** Which pods of a job get a volume or secret: the driver, the executors, or both. */
public enum MountOn {
  DRIVER,
  EXECUTORS,
  ALL;

  /** Whether the driver pod gets it. */
  public boolean driver() {
    return this != EXECUTORS;
  }

  /** Whether executor pods get it. */
  public boolean executors() {
    return this != DRIVER;
  }
}

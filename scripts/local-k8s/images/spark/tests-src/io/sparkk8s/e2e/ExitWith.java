package io.sparkk8s.e2e;

/** E2E test program: a driver that exits at once with the code given as its argument. */
public final class ExitWith {
  private ExitWith() {}

  public static void main(String[] args) {
    int code = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    System.out.println("ExitWith: exiting with " + code);
    System.exit(code);
  }
}

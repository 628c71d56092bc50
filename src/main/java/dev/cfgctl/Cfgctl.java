package dev.cfgctl;

public final class Cfgctl {
  public static void main(String[] args) {
    System.out.println(picocli.CommandLine.class.getName());
  }
}

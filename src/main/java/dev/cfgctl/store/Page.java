package dev.cfgctl.store;

import java.util.List;

/** One page of a listing; {@code next} is the cursor of the following page, or null at the end. */
public record Page<T>(List<T> items, String next) {}

package dev.cfgctl.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A config at one version: its content and who last changed it, when. */
public record Document(ConfigRef ref, long version, JsonNode content, Instant updatedAt,
    Author updatedBy) {}

package io.chroma.api;

import java.util.UUID;

public record Database(UUID id, String name, String tenant) {
}

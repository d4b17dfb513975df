package io.chroma.api;

public record Tenant(String name) {
}

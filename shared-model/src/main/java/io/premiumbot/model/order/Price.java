package io.premiumbot.model.order;

import java.time.Instant;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The USDT price of one month count, set by the operator. */
@Entity
@Table(name = "prices")
public class Price extends PanacheEntityBase {

    @Id
    public int months;

    @Column(name = "price_micros", nullable = false)
    public long priceMicros;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}

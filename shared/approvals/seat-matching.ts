/**
 * Role seats as a bipartite matching: each seat needs a different member who holds its role, and
 * a member fills at most one seat. A greedy pass can strand a seat (Ada holds risk and privacy,
 * Ben only risk: giving Ada the risk seat leaves privacy empty), so this finds a maximum matching
 * with augmenting paths (Kuhn's algorithm). Boards are small; O(members × seats²) is nothing.
 */

export interface SeatCandidate {
  /** Roles the candidate may sit for, the preferred one first (the preference only breaks ties). */
  roles: readonly string[];
}

/** For each seat (by its role), the index of the candidate filling it, or null when none can. */
export function matchSeats(seatRoles: readonly string[], candidates: readonly SeatCandidate[]): (number | null)[] {
  const seatHolder: (number | null)[] = seatRoles.map(() => null);
  const seatsOf = candidates.map((candidate) =>
    candidate.roles.flatMap((role) => seatRoles.flatMap((seatRole, seat) => (seatRole === role ? [seat] : []))),
  );

  const tryToSeat = (candidate: number, visited: Set<number>): boolean => {
    const seats = seatsOf[candidate] ?? [];
    // A free seat first, so that nobody already seated moves without need.
    const free = seats.find((seat) => !visited.has(seat) && seatHolder[seat] === null);
    if (free !== undefined) {
      seatHolder[free] = candidate;
      return true;
    }
    for (const seat of seats) {
      if (visited.has(seat)) continue;
      visited.add(seat);
      const holder = seatHolder[seat] ?? null;
      // Take the seat if its holder can move to another one along an augmenting path.
      if (holder !== null && tryToSeat(holder, visited)) {
        seatHolder[seat] = candidate;
        return true;
      }
    }
    return false;
  };

  candidates.forEach((_, candidate) => tryToSeat(candidate, new Set()));
  return seatHolder;
}

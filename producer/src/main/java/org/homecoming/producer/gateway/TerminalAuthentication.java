package org.homecoming.producer.gateway;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.HandlerInterceptor;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lets a request through to the intake endpoints only with a known terminal's bearer token; answers 401
 * before the body is read otherwise.
 */
public final class TerminalAuthentication implements HandlerInterceptor {

    /** Request attribute holding the authenticated {@link Terminals.Terminal}. */
    public static final String TERMINAL = TerminalAuthentication.class.getName() + ".terminal";

    private static final JsonMapper JSON = GatewayJson.MAPPER;

    private final Terminals terminals;
    private final GatewayRecords counted;

    public TerminalAuthentication(Terminals terminals, GatewayRecords counted) {
        this.terminals = terminals;
        this.counted = counted;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws IOException {
        Optional<Terminals.Terminal> terminal = terminals.authenticate(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (terminal.isPresent()) {
            request.setAttribute(TERMINAL, terminal.get());
            return true;
        }
        counted.count(401, 1);
        boolean missing = request.getHeader(HttpHeaders.AUTHORIZATION) == null;
        response.setStatus(401);
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"homecoming\"");
        response.setContentType(Problems.PROBLEM_JSON.toString());
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(JSON.writeValueAsString(Problems.problem("unauthenticated",
                "A terminal token is required", 401,
                missing ? "No Authorization: Bearer header" : "The bearer token is not a known terminal's", Map.of())));
        return false;
    }
}

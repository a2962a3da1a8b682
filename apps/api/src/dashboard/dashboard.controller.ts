import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../http/auth';
import { DASHBOARD_CSP, DASHBOARD_HTML } from './dashboard-page';

/**
 * GET /: the support desk's dashboard. The page itself is public and holds no data; it asks for
 * an API token and calls /api/v1 with it, so every read still goes through the auth guard.
 */
@ApiExcludeController()
@Public()
@Controller()
export class DashboardController {
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', DASHBOARD_CSP)
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Referrer-Policy', 'no-referrer')
  @Header('X-Frame-Options', 'DENY')
  @Header('Cross-Origin-Opener-Policy', 'same-origin')
  @Header('Cache-Control', 'no-store')
  page(): string {
    return DASHBOARD_HTML;
  }
}

// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "facet/error.h"
#include "facet/image.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/dict.h>
#include <libavutil/imgutils.h>
#include <libavutil/log.h>
#include <libswscale/swscale.h>
}

#include <memory>
#include <mutex>

namespace facet {
namespace {

// Larger pictures are refused before any pixel buffer is allocated: 16384 px a side
// already holds over 80 megapixels, far beyond the 1120-token budget's 1584×1584.
constexpr int kMaxSide = 16384;
constexpr int64_t kMaxPixels = int64_t(1) << 28;

struct FormatCloser {
    void operator()(AVFormatContext* f) const { avformat_close_input(&f); }
};
struct CodecFreer {
    void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct FrameFreer {
    void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct PacketFreer {
    void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct ScaleFreer {
    void operator()(SwsContext* s) const { sws_freeContext(s); }
};

// EXIF orientation 1..8 (TIFF tag 274) applied to top-left-origin pixels.
RgbImage orient(RgbImage in, int orientation)
{
    if (orientation < 2 || orientation > 8)
        return in;
    const bool swap = orientation >= 5;
    RgbImage out;
    out.width = swap ? in.height : in.width;
    out.height = swap ? in.width : in.height;
    out.pixels.resize(in.pixels.size());
    for (uint32_t y = 0; y < out.height; ++y) {
        for (uint32_t x = 0; x < out.width; ++x) {
            uint32_t sx = x, sy = y; // source pixel for output (x, y)
            switch (orientation) {
            case 2: sx = in.width - 1 - x; break;                          // mirrored
            case 3: sx = in.width - 1 - x; sy = in.height - 1 - y; break;  // upside down
            case 4: sy = in.height - 1 - y; break;                         // mirrored vertically
            case 5: sx = y; sy = x; break;                                 // transposed
            case 6: sx = y; sy = in.height - 1 - x; break;                 // rotated 90° clockwise to view
            case 7: sx = in.width - 1 - y; sy = in.height - 1 - x; break;  // transversed
            case 8: sx = in.width - 1 - y; sy = x; break;                  // rotated 90° counter-clockwise to view
            }
            const uint8_t* p = &in.pixels[(size_t(sy) * in.width + sx) * 3];
            uint8_t* q = &out.pixels[(size_t(y) * out.width + x) * 3];
            q[0] = p[0];
            q[1] = p[1];
            q[2] = p[2];
        }
    }
    return out;
}

} // namespace

RgbImage decodeImage(const std::filesystem::path& path)
{
    // FFmpeg would print its own diagnostics on stderr; the sentence below is the message.
    static std::once_flag quiet;
    std::call_once(quiet, [] { av_log_set_level(AV_LOG_QUIET); });
    const std::string name = path.filename().string();
    const std::string unreadable = name + " is not an image Facet can read (PNG, JPEG, WebP, BMP or GIF).";
    AVFormatContext* raw = nullptr;
    if (avformat_open_input(&raw, path.c_str(), nullptr, nullptr) < 0)
        throw Error(std::filesystem::exists(path) ? unreadable : name + " does not exist.");
    std::unique_ptr<AVFormatContext, FormatCloser> fmt(raw);
    const std::string damaged = name + " is damaged or not an image: no picture could be decoded from it.";
    if (avformat_find_stream_info(fmt.get(), nullptr) < 0)
        throw Error(damaged);
    const int stream = av_find_best_stream(fmt.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (stream < 0)
        throw Error(unreadable);
    const AVCodecParameters* par = fmt->streams[stream]->codecpar;
    if (par->width <= 0 || par->height <= 0)
        throw Error(damaged);
    if (par->width > kMaxSide || par->height > kMaxSide || int64_t(par->width) * par->height > kMaxPixels)
        throw Error(name + " is " + std::to_string(par->width) + "×" + std::to_string(par->height) +
                    " pixels; Facet reads images up to " + std::to_string(kMaxSide) + " pixels a side.");
    const AVCodec* codec = avcodec_find_decoder(par->codec_id);
    if (!codec)
        throw Error(unreadable);
    std::unique_ptr<AVCodecContext, CodecFreer> cc(avcodec_alloc_context3(codec));
    if (!cc || avcodec_parameters_to_context(cc.get(), par) < 0 || avcodec_open2(cc.get(), codec, nullptr) < 0)
        throw Error(unreadable);

    std::unique_ptr<AVPacket, PacketFreer> packet(av_packet_alloc());
    std::unique_ptr<AVFrame, FrameFreer> frame(av_frame_alloc());
    bool got = false;
    while (!got && av_read_frame(fmt.get(), packet.get()) >= 0) {
        if (packet->stream_index == stream && avcodec_send_packet(cc.get(), packet.get()) >= 0)
            got = avcodec_receive_frame(cc.get(), frame.get()) >= 0;
        av_packet_unref(packet.get());
    }
    if (!got) { // a decoder that holds the frame back until flushed
        avcodec_send_packet(cc.get(), nullptr);
        got = avcodec_receive_frame(cc.get(), frame.get()) >= 0;
    }
    if (!got || frame->width <= 0 || frame->height <= 0)
        throw Error(damaged);
    if (frame->width > kMaxSide || frame->height > kMaxSide)
        throw Error(name + " is too large to read.");

    RgbImage img;
    img.width = uint32_t(frame->width);
    img.height = uint32_t(frame->height);
    img.pixels.resize(size_t(img.width) * img.height * 3);
    // Alpha is dropped, not blended: transformers' convert_rgb does the same.
    std::unique_ptr<SwsContext, ScaleFreer> sws(sws_getContext(frame->width, frame->height, AVPixelFormat(frame->format), frame->width,
                                                               frame->height, AV_PIX_FMT_RGB24, SWS_POINT | SWS_ACCURATE_RND, nullptr,
                                                               nullptr, nullptr));
    if (!sws)
        throw Error(unreadable);
    uint8_t* dst[4] = {img.pixels.data(), nullptr, nullptr, nullptr};
    int dstStride[4] = {int(img.width * 3), 0, 0, 0};
    sws_scale(sws.get(), frame->data, frame->linesize, 0, frame->height, dst, dstStride);

    int orientation = 1;
    if (const AVDictionaryEntry* e = av_dict_get(frame->metadata, "Orientation", nullptr, 0))
        orientation = std::atoi(e->value);
    return orient(std::move(img), orientation);
}

} // namespace facet
